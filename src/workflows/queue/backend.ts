import { Queue, Worker, createPostgresBackend, withBackend, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { isDatabaseUnreachable } from '../../db/unreachable.js';
import type { FaultLog } from '../../faults.js';

/**
 * Where BullMQ keeps its queues: Redis (production, any number of workers) or, when no Redis is
 * configured, BullMQ's PostgreSQL backend in the application database.
 */
export interface QueueBackend {
  readonly kind: 'redis' | 'postgres';
  createQueue(name: string, options: Omit<QueueOptions, 'connection'>): Queue;
  createWorker(name: string, processor: Processor, options: Omit<WorkerOptions, 'connection'>): Worker;
  close(): Promise<void>;
}

export interface QueueBackendOptions {
  redisUrl?: string;
  databaseUrl: string;
  /** Redis key prefix or PostgreSQL schema for the queues. Default `tamtam`. */
  namespace?: string;
  /** Where connection errors of Redis, queues and workers are reported. Default: ignored. */
  faults?: FaultLog;
}

export function createQueueBackend({ redisUrl, databaseUrl, namespace = 'tamtam', faults }: QueueBackendOptions): QueueBackend {
  // An 'error' event without a listener would be printed raw (BullMQ) or crash the process.
  const report = <T extends Queue | Worker>(component: string, emitter: T): T => {
    (emitter as unknown as NodeJS.EventEmitter).on('error', (error: Error) => faults?.fault('queue', component, error));
    return emitter;
  };
  if (redisUrl) {
    // BullMQ requires maxRetriesPerRequest: null so blocking commands survive reconnects.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    redis.on('error', (error) => faults?.fault('queue', 'redis', error)); // reconnects on its own
    return {
      kind: 'redis',
      createQueue: (name, options) => report('queues', new Queue(name, { ...options, connection: redis, prefix: namespace })),
      createWorker: (name, processor, options) =>
        report('workers', new Worker(name, processor, { ...options, connection: redis, prefix: namespace })),
      close: async () => {
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  }
  const pg = withBackend(patientPostgresBackend(faults));
  // Each queue and worker owns a small pool (plus one LISTEN connection per worker).
  // The queue's own commits do not wait for the disk (synchronous_commit=off, on these connections
  // only): a crash of PostgreSQL may lose its last fraction of a second of queue changes, the same
  // as Redis with AOF `everysec`. Nothing of an alert is lost with them: alerts, messages and
  // events are written on the application's connections, durably, and the reconciler re-creates
  // every job they imply. Measured: 32 → 47 alerts/s on the project machine (BENCHMARKS.md).
  const connection = {
    connectionString: databaseUrl,
    schema: namespace.replace(/[^a-z0-9_]/gi, '_'),
    migrate: true,
    max: 2,
    options: '-c synchronous_commit=off',
  };
  return {
    kind: 'postgres',
    createQueue: (name, options) => report('queues', new pg.Queue(name, { ...options, connection }) as unknown as Queue),
    createWorker: (name, processor, options) => report('workers', new pg.Worker(name, processor, { ...options, connection }) as unknown as Worker),
    close: async () => {},
  };
}

/**
 * BullMQ's PostgreSQL backend, made to wait out a PostgreSQL that is down instead of spinning.
 * As shipped (bullmq 6.7), a worker whose query fails with "Connection terminated unexpectedly" or
 * "not queryable" emits the error and asks again at once: about 100,000 times a second per worker,
 * starving the event loop (nothing else runs, not even the journal's replay). And a pooled client
 * losing its server mid-query emits 'error' with no listener (the pool only listens to idle
 * clients), which crashes the process. Here every statement of the backend goes through one gate:
 * once a statement finds PostgreSQL unreachable, the next ones wait until a retry is due (0.25 s,
 * doubling up to 2 s) and then try; the first that succeeds opens the gate for all. Errors are
 * rethrown unchanged, so BullMQ's own handling (jobs stalled, retried) is as before.
 */
function patientPostgresBackend(faults: FaultLog | undefined): typeof createPostgresBackend {
  const gate = createRetryGate();
  const reportClient = (error: Error) => faults?.fault('queue', 'queue connections', error);
  return (name, opts, factoryOpts) => {
    const backend = createPostgresBackend(name, opts, factoryOpts);
    // `query` is private in BullMQ's types; every statement of the backend goes through it.
    const inside = backend as unknown as {
      connection: { pool: pg.Pool; readyPromise?: Promise<void>; waitUntilReady(): Promise<void> };
      readyPromise?: Promise<void>;
      waitUntilReady(): Promise<void>;
      query(text: string, params?: unknown[]): Promise<unknown>;
    };
    // A client checked out when its server goes away emits 'error': report it, never crash.
    inside.connection.pool.on('connect', (client) => client.on('error', reportClient));
    // The worker's LISTEN connection is a client of its own, built from this module.
    const owned = inside.connection as unknown as { pgModule?: typeof pg };
    if (owned.pgModule) owned.pgModule = Object.create(owned.pgModule, { Client: { value: guardedClient(owned.pgModule.Client, reportClient) } });
    // Readiness (the schema's migration, on first use) is memoized, failure included: a queue
    // whose first statement met the outage would fail every later one. Forget a failed attempt.
    const forgetFailure = <T extends { readyPromise?: Promise<void>; waitUntilReady(): Promise<void> }>(target: T) => {
      const ready = target.waitUntilReady.bind(target);
      target.waitUntilReady = () =>
        ready().catch((error: unknown) => {
          target.readyPromise = undefined;
          throw error;
        });
    };
    forgetFailure(inside.connection);
    forgetFailure(inside);
    const query = inside.query.bind(backend);
    inside.query = async (text, params) => {
      await gate.wait();
      try {
        const result = await query(text, params);
        gate.succeeded();
        return result;
      } catch (error) {
        if (isDatabaseUnreachable(error)) gate.failed();
        throw error;
      }
    };
    return backend;
  };
}

/**
 * A pg client that cannot crash the process with its 'error' event. BullMQ (6.7) builds each
 * worker's LISTEN connection and adds its 'error' listener only once `connect()` has resolved; when
 * PostgreSQL shuts down just as that connection is made, its FATAL arrives in the same read as the
 * end of the handshake, before the listener, and the 'error' without a listener crashed Tamtam
 * (seen in CI: "terminating connection due to administrator command" during the outage test).
 * This client listens from the start and to the end (BullMQ's close() removes all listeners before
 * it ends the client), reports what it hears, and counts a connection that died while it was being
 * made as one that failed to connect: BullMQ then makes a new one later.
 */
export function guardedClient(Base: typeof pg.Client, report: (error: Error) => void): typeof pg.Client {
  class GuardedClient extends Base {
    private died: Error | undefined;
    private readonly guard = (error: Error) => {
      this.died ??= error;
      report(error);
    };
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', this.guard);
    }
    // BullMQ's close() removes every listener before end(): an error in that moment is heard too.
    override removeAllListeners(event?: string | symbol): this {
      super.removeAllListeners(event);
      // (Called again per event by EventEmitter when no event is named: add the guard once.)
      if ((event === undefined || event === 'error') && !this.listeners('error').includes(this.guard)) this.on('error', this.guard);
      return this;
    }
    async connectGuarded(): Promise<void> {
      await (Base.prototype.connect as (this: pg.Client) => Promise<unknown>).call(this);
      // What else came with the handshake's last read is handled before the caller has the client.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.died) {
        void this.end().catch(() => undefined);
        throw this.died;
      }
    }
  }
  // pg's `connect` is overloaded (callback or promise); BullMQ uses the promise.
  (GuardedClient.prototype as unknown as { connect: () => Promise<void> }).connect = GuardedClient.prototype.connectGuarded;
  return GuardedClient;
}

/** Retry pacing shared by every statement to one database: see {@link patientPostgresBackend}. */
export function createRetryGate({ firstMs = 250, maxMs = 2_000 } = {}) {
  let pauseMs = 0;
  let retryAt = 0;
  return {
    /** Resolves at once while the database answers; otherwise when the next retry is due. */
    async wait(): Promise<void> {
      const ms = retryAt - Date.now();
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    },
    failed(): void {
      if (retryAt > Date.now()) return; // already paused: statements started before the pause
      pauseMs = pauseMs ? Math.min(pauseMs * 2, maxMs) : firstMs;
      retryAt = Date.now() + pauseMs;
    },
    succeeded(): void {
      pauseMs = 0;
      retryAt = 0;
    },
  };
}
