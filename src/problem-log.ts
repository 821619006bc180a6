import type { Logger } from 'pino';

/**
 * Logs a recurring problem once, not once per occurrence: while PostgreSQL or Redis is down, every
 * connection of every queue and worker reports the same error many times a second. The first
 * occurrence of a problem (component, what, and the error's code or message) is logged; repeats
 * within `quietMs` are counted and reported with the next line logged for it after that.
 */
export function createProblemLog(log: Logger, { quietMs = 60_000, level = 'warn' }: { quietMs?: number; level?: 'warn' | 'error' } = {}) {
  const seen = new Map<string, { at: number; repeated: number }>();
  return (component: string, what: string, wrapped: Error, context: Record<string, unknown> = {}): void => {
    // The driver's error, not a wrapper's (drizzle's "Failed query: <the whole statement>").
    let error = wrapped as Error & { code?: unknown; cause?: unknown };
    while (error.cause instanceof Error) error = error.cause as typeof error;
    const problem = typeof error.code === 'string' ? error.code : error.message.slice(0, 120);
    const key = `${component}\n${what}\n${problem}`;
    const now = Date.now();
    const last = seen.get(key);
    if (last && now - last.at < quietMs) {
      last.repeated++;
      return;
    }
    seen.set(key, { at: now, repeated: 0 });
    log[level]({ component, ...context, err: error.message, ...(last?.repeated ? { repeated: last.repeated } : {}) }, what);
  };
}
