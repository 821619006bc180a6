import type { Logger } from 'pino';

/** What Tamtam depends on, as `/readyz` names it. */
export type Dependency = 'database' | 'queue';

/**
 * Reports connection problems without flooding the log: while a dependency is down, its drivers
 * raise the same error on every reconnect attempt, from every pool, worker and queue. Each
 * component logs a problem once, and once more when its dependency answers again.
 */
export interface FaultLog {
  /** A component (e.g. `database pool`, `worker inbound`) met a problem with its dependency. */
  fault(dependency: Dependency, component: string, error: unknown): void;
  /** How to tell that a dependency is back (polled while it has faults). */
  probe(dependency: Dependency, check: () => Promise<unknown>): void;
  /** Stops polling (shutdown). */
  close(): void;
}

/** How often a faulty dependency is probed. */
const probeEveryMs = 1_000;

export function createFaultLog(log: Logger): FaultLog {
  /** Per dependency: component → the problems already logged. */
  const faulty: Record<Dependency, Map<string, Set<string>>> = { database: new Map(), queue: new Map() };
  const probes: Partial<Record<Dependency, () => Promise<unknown>>> = {};
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const poll = async () => {
    timer = null;
    for (const dependency of Object.keys(faulty) as Dependency[]) {
      const components = faulty[dependency];
      const check = probes[dependency];
      if (!components.size || !check) continue;
      if (
        !(await check().then(
          () => true,
          () => false,
        ))
      )
        continue;
      for (const component of components.keys()) log.info({ dependency, component }, `${component}: ${dependency} reachable again`);
      components.clear();
    }
    schedule();
  };
  const schedule = () => {
    if (closed || timer || Object.values(faulty).every((m) => m.size === 0)) return;
    timer = setTimeout(() => void poll(), probeEveryMs);
    timer.unref();
  };

  return {
    fault(dependency, component, error) {
      const problem = error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
      const seen = faulty[dependency].get(component) ?? new Set<string>();
      faulty[dependency].set(component, seen);
      if (!seen.has(problem)) {
        seen.add(problem);
        log.warn({ dependency, component, problem }, `${component}: ${problem}`);
      }
      schedule();
    },
    probe(dependency, check) {
      probes[dependency] = check;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
