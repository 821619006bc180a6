// BullMQ's own ceiling on this machine: alerts per second the queue can move when every processor
// is a no-op, with the jobs Tamtam's fast path has for a burst: one `inbound` job per 50 warnings
// (the intake's batch), whose processor adds (one addBulk per queue) the send jobs of their 150
// messages (three each: two cards and a confirmation) to `outbound-simulator`, 50 messages a job,
// and one `escalate` job per alert, delayed an hour, to `escalation` (no worker there: the timers
// stay pending); the send jobs are processed. Queues and workers come from the app's
// createQueueBackend with the app's job options and concurrency (src/workflows/queue/jobs.ts), in one
// process, on a random namespace removed afterwards.
// Usage: npx tsx bench/run.ts --only ceiling [--backend redis|postgres] [--alerts N]
import { randomBytes } from 'node:crypto';
import type { Job, Queue, Worker } from 'bullmq';
import { deleteQueueNamespace } from '../test/helpers/redis.js';
import { createQueueBackend } from '../src/workflows/queue/backend.js';
import { sendsPerJob } from '../src/workflows/sending/pacing.js';
import { jobIdFor, queueDefinitions, type JobData, type QueueName } from '../src/workflows/queue/jobs.js';
import { benchDatabase, postgresUrl } from './database.js';
import { redisUrl } from './workflow.js';

/** Messages per alert (two cards and a confirmation), warnings per inbound job, messages per send job. */
const SENDS_PER_ALERT = 3;
const ALERTS_PER_JOB = 50;
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
    // As src/workflows/queue/workers.ts: the queue's declared concurrency, 30 s locks and stalled checks.
    const w = queues.createWorker(name, processor, {
      concurrency: queueDefinitions[name].concurrency,
      lockDuration: 30_000,
      stalledInterval: 30_000,
      maxStalledCount: 5,
      autorun: true,
    });
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
      const alertIds = job.data.inboundIds;
      const messages = alertIds.flatMap((id) => Array.from({ length: SENDS_PER_ALERT }, (_, k) => (id - 1) * SENDS_PER_ALERT + k + 1));
      const sends = [];
      for (let i = 0; i < messages.length; i += sendsPerJob) {
        const data: JobData<'send'> = { outboundIds: messages.slice(i, i + sendsPerJob), channel: 'simulator' };
        sends.push({ name: 'send', data, opts: { jobId: jobIdFor('send', data) } });
      }
      const timers = alertIds.map((alertId) => {
        const data: JobData<'escalate'> = { alertId, seq: 1 };
        return { name: 'escalate', data, opts: { jobId: jobIdFor('escalate', data), delay: ESCALATION_DELAY_MS } };
      });
      await Promise.all([outbound.addBulk(sends), escalation.addBulk(timers)]);
      inboundDone += alertIds.length;
    });
    const sendWorker = worker('outbound-simulator', async (job: Job<JobData<'send'>>) => {
      sendsDone += job.data.outboundIds.length;
    });
    for (const w of [inboundWorker, sendWorker]) {
      w.on('failed', (job, err) => fail(new Error(`${job?.name} ${job?.id} failed: ${err.message}`)));
      w.on('error', (err) => fail(err));
    }
    inboundWorker.on('completed', check);
    sendWorker.on('completed', check);
    await Promise.all(opened.map((o) => o.waitUntilReady()));

    const started = performance.now();
    for (let i = 0; i < alerts; i += ALERTS_PER_JOB) {
      const data: JobData<'inbound'> = { inboundIds: Array.from({ length: Math.min(ALERTS_PER_JOB, alerts - i) }, (_, j) => i + j + 1) };
      await inbound.add('inbound', data, { jobId: jobIdFor('inbound', data) });
    }
    await finished;
    const seconds = (performance.now() - started) / 1000;
    const delayed = await escalation.getDelayedCount();
    if (delayed !== alerts) throw new Error(`expected ${alerts} pending escalation timers, found ${delayed}`);
    const jobs = Math.ceil(alerts / ALERTS_PER_JOB) * (1 + Math.ceil((ALERTS_PER_JOB * SENDS_PER_ALERT) / sendsPerJob));
    return { alerts, alertsPerSecond: alerts / seconds, jobsPerSecond: jobs / seconds };
  } finally {
    // Workers first (they were added after the queues), then the queues, then the namespace.
    for (const o of opened.reverse()) await o.close();
    await queues.close();
    if (backend === 'redis') await deleteQueueNamespace(redisUrl, namespace);
    await database?.drop();
  }
}
