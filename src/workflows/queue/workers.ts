import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { isDatabaseUnreachable } from '../../db/unreachable.js';
import { createFaultLog, type FaultLog } from '../../faults.js';
import type { WorkflowDeps } from '../deps.js';
import { UnprocessableMessage } from '../errors.js';
import { jobSchemas, providerBackoff, queueDefinitions, type JobName, type QueueName } from './jobs.js';
import { classifyStep } from '../alerts/classify.js';
import { escalateStep } from '../alerts/escalate.js';
import { inboundStep } from '../alerts/inbound.js';
import { notifyStep } from '../alerts/notify.js';
import { defaultReconcileOptions, reconcileStep, type ReconcileOptions } from '../alerts/reconcile.js';
import { routeStep } from '../alerts/route.js';
import { sendStep } from '../sending/send.js';
import { digestCron } from '../../deployment/schema.js';
import { sendWeeklyDigest } from '../response/weekly-digest.js';

export interface WorkerOptions {
  reconcile?: Partial<ReconcileOptions>;
  /** Where jobs failing on an unreachable database are reported (once per queue, until it answers again). */
  faults?: FaultLog;
  /** Lock duration and stalled-job check interval (ms): how soon a crashed worker's job is retried. Default 30 s. */
  stalledIntervalMs?: number;
  /** Languages with translations (reporters may switch to these). Default fr, en. */
  languages?: string[];
  /** Overrides each queue's declared concurrency (benchmarks). */
  concurrency?: Partial<Record<QueueName, number>>;
  /**
   * How long stopping waits for active jobs (ms). Default 6 s. Past it, stopping goes on: a job cut
   * short is taken again by the stalled-job check (jobs are idempotent). BullMQ's close also waits
   * forever while Redis is down or reconnecting; this bounds that too.
   */
  closeTimeoutMs?: number;
}

export interface Workers {
  close(): Promise<void>;
}

/**
 * Starts one BullMQ worker per queue. Each job's payload is validated against its schema (a job
 * that can never be valid fails for good) and handed to its step.
 */
export async function startWorkers(deps: WorkflowDeps, options: WorkerOptions = {}): Promise<Workers> {
  const reconcile = { ...defaultReconcileOptions, ...options.reconcile };
  const steps: Record<JobName, (job: Job) => Promise<unknown>> = {
    inbound: (job) => inboundStep(job, deps, options.languages ?? ['fr', 'en']),
    classify: (job) => classifyStep(job, deps),
    route: (job) => routeStep(job, deps),
    notify: (job) => notifyStep(job, deps),
    escalate: (job) => escalateStep(job, deps),
    send: (job) => sendStep(job, deps),
    reconcile: (job) => reconcileStep(job, deps, reconcile),
    digest: () => sendWeeklyDigest(deps),
  };
  const stalled = options.stalledIntervalMs ?? 30_000;
  const faults = options.faults ?? createFaultLog(deps.log);
  const workers: Worker[] = (Object.keys(queueDefinitions) as QueueName[]).map((queue) => {
    const def = queueDefinitions[queue];
    const worker = deps.queues.backend.createWorker(
      queue,
      async (job: Job) => {
        const name = job.name as JobName;
        const schema = jobSchemas[name];
        if (!schema || !(def.jobs as readonly string[]).includes(name)) throw new UnrecoverableError(`unknown job "${job.name}" on queue ${queue}`);
        const parsed = schema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid ${name} payload: ${parsed.error.issues[0]?.message}`);
        job.data = parsed.data;
        return steps[name](job);
      },
      {
        concurrency: options.concurrency?.[queue] ?? def.concurrency,
        limiter: 'limiter' in def ? def.limiter : undefined,
        lockDuration: stalled,
        stalledInterval: stalled,
        maxStalledCount: 5,
        settings: {
          backoffStrategy: (attemptsMade: number, _type?: string, err?: Error, job?: { opts: { backoff?: number | { delay?: number } } }) =>
            providerBackoff(attemptsMade, typeof job?.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 2_000) : 2_000, err),
        },
        autorun: true,
      },
    );
    worker.on('failed', (job, err) => {
      const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
      // Logged once already, when it was parked (workflows/alerts/unprocessable.ts).
      if (err instanceof UnprocessableMessage) return;
      // A database that is down fails every job the same way: one line for them all (retried with
      // backoff; the reconciler revives what failed for good once it is back).
      if (isDatabaseUnreachable(err)) return faults.fault('database', `worker ${queue}`, err);
      deps.log[final ? 'error' : 'warn']({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed');
    });
    return worker;
  });

  // The reconciler's schedule lives in the queue; re-assert it periodically so that a wiped Redis
  // gets it back (upsert is idempotent).
  const maintenance = deps.queues.get('maintenance');
  const digest = deps.deployment.weeklyDigest;
  const upsertSchedule = () =>
    Promise.all([
      maintenance
        .upsertJobScheduler('reconcile', { every: reconcile.everyMs }, { name: 'reconcile', data: {} })
        .catch((err: Error) => deps.log.warn({ err: err.message }, 'could not schedule the reconciler')),
      // One digest job per week whatever the number of workers: the schedule lives in the queue.
      (digest.enabled
        ? maintenance.upsertJobScheduler('weekly-digest', { pattern: digestCron(digest), tz: deps.deployment.timezone }, { name: 'digest', data: {} })
        : maintenance.removeJobScheduler('weekly-digest')
      ).catch((err: Error) => deps.log.warn({ err: err.message }, 'could not schedule the weekly digest')),
    ]);
  await upsertSchedule();
  const upkeep = setInterval(upsertSchedule, reconcile.everyMs);
  upkeep.unref();

  return {
    async close() {
      clearInterval(upkeep);
      // Stop taking jobs and let active ones finish, for a while.
      let timer: NodeJS.Timeout | undefined;
      const closed = Promise.all(workers.map((w) => w.close().catch(() => {}))).then(() => true);
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.closeTimeoutMs ?? 6_000)));
      if (!(await Promise.race([closed, late])))
        deps.log.warn('workers did not stop in time (jobs still active or the queue unreachable): stopping anyway');
      clearTimeout(timer);
    },
  };
}
