// BullMQ's own ceiling on this machine: alerts per second the queue can move when every processor
// is a no-op, with the jobs Tamtam's fast path has per alert: one `inbound` job processed, whose
// processor adds (addBulk) three `send` jobs to `outbound-simulator` and one `escalate` job,
// delayed an hour, to `escalation` (no worker there: the timer stays pending); the three sends are
// processed. Queues and workers come from the app's createQueueBackend with the app's job options
// and concurrency (src/workflows/jobs.ts), in one process, on a random namespace removed afterwards.
// Usage: npx tsx bench/run.ts --only ceiling [--backend redis|postgres] [--alerts N]
import { randomBytes } from 'node:crypto';
import type { Job, Queue, Worker } from 'bullmq';
import { deleteQueueNamespace } from '../test/helpers/redis.js';
import { createQueueBackend } from '../src/workflows/backend.js';
import { jobIdFor, queueDefinitions, type JobData, type QueueName } from '../src/workflows/jobs.js';
import { benchDatabase, postgresUrl } from './database.js';
import { redisUrl } from './workflow.js';

/** Jobs processed per alert: the inbound job and its three sends. */
const SENDS_PER_ALERT = 3;
/** The escalation timer's delay: it never fires during the run. */
const ESCALATION_DELAY_MS = 3_600_000;

export interface QueueCeiling {
  alerts: number;
  alertsPerSecond: number;
  jobsPerSecond: number;
}

/**
 * Adds `alerts` inbound jobs (50 at a time, as the intake does for a burst) with the workers
 * running, and times from the first add to the last send job completed.
 */
export async function benchQueueCeiling(backend: 'redis' | 'postgres', alerts: number): Promise<QueueCeiling> {
  const namespace = `ceiling_${randomBytes(4).toString('hex')}`;
  // On PostgreSQL the queues live in a schema (the namespace) of a database of their own.
  const database = backend === 'postgres' ? await benchDatabase('tamtam_ceiling') : null;
  const queues = createQueueBackend({ redisUrl: backend === 'redis' ? redisUrl : undefined, databaseUrl: database?.url ?? postgresUrl, namespace });
  const opened: (Queue | Worker)[] = [];
  const queue = (name: QueueName) => {
    const q = queues.createQueue(name, { defaultJobOptions: queueDefinitions[name].defaultJobOptions });
    opened.push(q);
    return q;
  };
  const worker = (name: QueueName, processor: (job: Job) => Promise<unknown>) => {
    // As src/workflows/workers.ts: the queue's declared concurrency, 30 s locks and stalled checks.
    const w = queues.createWorker(name, processor, { concurrency: queueDefinitions[name].concurrency, lockDuration: 30_000, stalledInterval: 30_000, maxStalledCount: 5, autorun: true });
    opened.push(w);
    return w;
  };

  try {
    const inbound = queue('inbound');
    const outbound = queue('outbound-simulator');
    const escalation = queue('escalation');

    let inboundDone = 0;
    let sendsDone = 0;
    let finish!: () => void;
    let fail!: (error: Error) => void;
    const finished = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
    const check = () => inboundDone === alerts && sendsDone === alerts * SENDS_PER_ALERT && finish();

    const inboundWorker = worker('inbound', async (job: Job<JobData<'inbound'>>) => {
      const alertId = job.data.inboundIds[0]!;
      const sends = Array.from({ length: SENDS_PER_ALERT }, (_, k) => {
        const data: JobData<'send'> = { outboundIds: [(alertId - 1) * SENDS_PER_ALERT + k + 1], channel: 'simulator' };
        return { name: 'send', data, opts: { jobId: jobIdFor('send', data) } };
      });
      const escalate: JobData<'escalate'> = { alertId, seq: 1 };
      await Promise.all([
        outbound.addBulk(sends),
        escalation.addBulk([{ name: 'escalate', data: escalate, opts: { jobId: jobIdFor('escalate', escalate), delay: ESCALATION_DELAY_MS } }]),
      ]);
    });
    const sendWorker = worker('outbound-simulator', async () => {});
    for (const w of [inboundWorker, sendWorker]) {
      w.on('failed', (job, err) => fail(new Error(`${job?.name} ${job?.id} failed: ${err.message}`)));
      w.on('error', (err) => fail(err));
    }
    inboundWorker.on('completed', () => (inboundDone++, check()));
    sendWorker.on('completed', () => (sendsDone++, check()));
    await Promise.all(opened.map((o) => o.waitUntilReady()));

    const started = performance.now();
    const batch = 50;
    for (let i = 0; i < alerts; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, alerts - i) }, (_, j) => {
          const data: JobData<'inbound'> = { inboundIds: [i + j + 1] };
          return inbound.add('inbound', data, { jobId: jobIdFor('inbound', data) });
        }),
      );
    }
    await finished;
    const seconds = (performance.now() - started) / 1000;
    const delayed = await escalation.getDelayedCount();
    if (delayed !== alerts) throw new Error(`expected ${alerts} pending escalation timers, found ${delayed}`);
    return { alerts, alertsPerSecond: alerts / seconds, jobsPerSecond: (alerts * (1 + SENDS_PER_ALERT)) / seconds };
  } finally {
    // Workers first (they were added after the queues), then the queues, then the namespace.
    for (const o of opened.reverse()) await o.close();
    await queues.close();
    if (backend === 'redis') await deleteQueueNamespace(redisUrl, namespace);
    await database?.drop();
  }
}
