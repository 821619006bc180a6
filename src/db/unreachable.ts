/** A statement that got no answer in time: PostgreSQL is treated as unreachable. */
export class DatabaseTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer from PostgreSQL within ${ms} ms`);
    this.name = 'DatabaseTimeoutError';
  }
}

/** Resolves as `promise` does, or rejects with {@link DatabaseTimeoutError} after `ms` (the promise runs on). */
export function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Network errors of the socket to PostgreSQL (node's errno codes). */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that say "not now" rather than "not this": connection exceptions (class 08),
 * insufficient resources (class 53: too many clients, disk full, out of memory), the server
 * shutting down or starting up (57P01–57P03), a statement cancelled by a timeout (57014).
 */
const unavailableState = /^(08|53)|^57P0[123]$|^57014$/;

/** What `pg` says, without a code, when a connection is lost or never made. */
const lostConnection =
  /connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|connection ended unexpectedly|connection refused|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * True when `error` means PostgreSQL cannot be reached or cannot take writes right now (a message
 * may be kept elsewhere and stored later); false for an error about the statement or its data
 * (a constraint, a type, a value too long), which retrying later would not change.
 */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof DatabaseTimeoutError) return true;
  const { code, message, errors, cause } = error as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string' && (networkCodes.has(code) || (/^[0-9A-Z]{5}$/.test(code) && unavailableState.test(code)))) return true;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return false; // PostgreSQL answered: about this statement
  if (typeof message === 'string' && lostConnection.test(message)) return true;
  // Node reports a refused connection to a host with several addresses as an AggregateError;
  // drizzle wraps the driver's error in `cause`.
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnreachable(e, depth + 1))) return true;
  return isDatabaseUnreachable(cause, depth + 1);
}
