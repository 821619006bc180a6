import { Queue, Worker, createPostgresBackend, withBackend, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
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
  const pg = withBackend(createPostgresBackend);
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
