import type { DefaultJobOptions, Job, JobsOptions, KeepJobs, Queue } from 'bullmq';
import type { QueueBackend } from './backend.js';
import { jobIdFor, queueDefinitions, queueOf, type JobData, type JobName, type QueueName } from './jobs.js';

/** A job to add: its name, payload and options. */
export type NewJob = { [N in JobName]: { name: N; data: JobData<N>; options?: Pick<JobsOptions, 'delay' | 'priority'> } }[JobName];

/** Adds and removes workflow jobs without callers knowing which queue holds them. */
export interface Queues {
  readonly backend: QueueBackend;
  /** Adds the job under its deterministic id (a second add of the same work is ignored). */
  add<N extends JobName>(name: N, data: JobData<N>, options?: Pick<JobsOptions, 'delay' | 'priority'>): Promise<void>;
  /** Adds several jobs: a bulk per queue, or on the PostgreSQL backend one by one when they are few (see `postgresBulkFrom`). */
  addMany(jobs: readonly NewJob[]): Promise<void>;
  /**
   * Like `add`, but also revives the job if it exists and has failed for good (reconciler). With
   * `backoffMs`, a failed job is revived only once it has been failed for `backoffMs` doubled for
   * each revival already made (at most 15 minutes), so work that keeps failing (an outage) is taken
   * again less and less often; until then it counts as 'exists'.
   */
  ensure<N extends JobName>(
    name: N,
    data: JobData<N>,
    options?: Pick<JobsOptions, 'delay'> & { backoffMs?: number },
  ): Promise<'exists' | 'added' | 'retried'>;
  /** Runs the job again whatever became of it (an admin's retry): a finished one is replaced by a new one. */
  rerun<N extends JobName>(name: N, data: JobData<N>, options?: Pick<JobsOptions, 'attempts'>): Promise<void>;
  /** Removes a waiting or delayed job; true if it was there. */
  remove<N extends JobName>(name: N, data: JobData<N>): Promise<boolean>;
  /**
   * Runs a job now: a delayed one at once, a failed one again, a missing one added. False when it
   * has already run to completion (nothing will run).
   */
  promote<N extends JobName>(name: N, data: JobData<N>): Promise<boolean>;
  get(queue: QueueName): Queue;
  /**
   * The message ids (inbound or outbound) carried by a queue's jobs that are still to run or
   * running: the reconciler leaves those messages to their jobs.
   */
  heldIds(queue: QueueName): Promise<Set<number>>;
  counts(): Promise<Record<QueueName, Record<string, number>>>;
  /**
   * Deletes the finished jobs older than their queue keeps them, where the backend does not on
   * each job's completion (PostgreSQL: see `onBackend`); the number deleted. The reconciler calls it.
   */
  trimFinished(): Promise<number>;
  close(): Promise<void>;
}

export interface QueuesOptions {
  /**
   * Put before every job id: the database's incarnation. Job ids are made of row ids, which
   * start again in a restored or new database, while the queue keeps finished jobs for a while; a
   * new job with an old id would be taken for a duplicate and never run. Default none.
   */
  jobIdPrefix?: string;
}

/** On the PostgreSQL backend, the fewest jobs for one queue that are added as a bulk rather than one by one. */
export const postgresBulkFrom = 8;

export function createQueues(backend: QueueBackend, { jobIdPrefix }: QueuesOptions = {}): Queues {
  const queues = Object.fromEntries(
    (Object.keys(queueDefinitions) as QueueName[]).map((name) => [
      name,
      backend.createQueue(name, { defaultJobOptions: onBackend(backend.kind, queueDefinitions[name].defaultJobOptions) }),
    ]),
  ) as Record<QueueName, Queue>;
  // BullMQ's PostgreSQL backend adds a bulk through two temporary tables: 2.5–6 ms of the
  // database's time whatever its size, against 0.5 ms for one job added on its own (bench/
  // add-costs.ts). At 100 warnings a second, each with a few jobs, the bulks alone overloaded it
  // (BENCHMARKS.md). Every job has its own id, so jobs added one by one stay idempotent: one that
  // failed half-way is added again, the others are not added twice.
  const bulkFrom = backend.kind === 'postgres' ? postgresBulkFrom : 1;
  const queueFor = <N extends JobName>(job: N, data: JobData<N>) => queues[queueOf(job, data)];
  const idFor = <N extends JobName>(job: N, data: JobData<N>) => (jobIdPrefix ? `${jobIdPrefix}-${jobIdFor(job, data)}` : jobIdFor(job, data));
  const find = (name: JobName, data: JobData<JobName>): Promise<Job | undefined> => queueFor(name, data).getJob(idFor(name, data));
  /** Per queue, one addBulk, or the jobs one by one (see bulkFrom). */
  const addBulk = async (jobs: readonly NewJob[]) => {
    const byQueue = new Map<QueueName, Parameters<Queue['addBulk']>[0]>();
    for (const job of jobs) {
      const queue = queueOf(job.name, job.data);
      const list = byQueue.get(queue) ?? [];
      list.push({ name: job.name, data: job.data, opts: { ...job.options, jobId: idFor(job.name, job.data) } });
      byQueue.set(queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => (list.length < bulkFrom ? addOneByOne(queues[queue], list) : queues[queue].addBulk(list))));
  };
  return {
    backend,
    async add(name, data, options = {}) {
      await queueFor(name, data).add(name, data, { ...options, jobId: idFor(name, data) });
    },
    addMany: addBulk,
    async ensure(name, data, { backoffMs, ...options } = {}) {
      const job = await find(name, data);
      if (!job) {
        await queueFor(name, data).add(name, data, { ...options, jobId: idFor(name, data) });
        return 'added';
      }
      if ((await job.getState()) === 'failed') {
        if (backoffMs !== undefined && Date.now() - (job.finishedOn ?? 0) < reviveAfterMs(job, backoffMs)) return 'exists';
        await job.retry('failed');
        return 'retried';
      }
      return 'exists';
    },
    async rerun(name, data, options = {}) {
      const job = await find(name, data);
      const state = job ? await job.getState() : 'missing';
      if (state === 'failed' || state === 'completed') await job!.remove(withoutChildren);
      else if (state !== 'missing' && state !== 'unknown') return; // about to run anyway
      await queueFor(name, data).add(name, data, { ...options, jobId: idFor(name, data) });
    },
    async remove(name, data) {
      const job = await find(name, data);
      if (!job) return false;
      const state = await job.getState();
      if (state !== 'delayed' && state !== 'waiting' && state !== 'prioritized') return false;
      await job.remove(withoutChildren).catch(() => {});
      return true;
    },
    async promote(name, data) {
      const job = await find(name, data);
      if (!job) {
        await queueFor(name, data).add(name, data, { jobId: idFor(name, data) });
        return true;
      }
      const state = await job.getState();
      if (state === 'delayed') await job.promote();
      else if (state === 'failed') await job.retry();
      return state !== 'completed';
    },
    get: (queue) => queues[queue],
    async heldIds(queue) {
      const jobs = await queues[queue].getJobs(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'], 0, -1);
      const held = new Set<number>();
      for (const job of jobs) {
        const data = (job?.data ?? {}) as { inboundIds?: number[]; outboundIds?: number[] };
        for (const id of [...(data.inboundIds ?? []), ...(data.outboundIds ?? [])]) held.add(id);
      }
      return held;
    },
    async counts() {
      const entries = await Promise.all(
        (Object.keys(queues) as QueueName[]).map(
          async (name) => [name, await queues[name].getJobCounts('wait', 'active', 'delayed', 'failed', 'prioritized')] as const,
        ),
      );
      return Object.fromEntries(entries) as Record<QueueName, Record<string, number>>;
    },
    async trimFinished() {
      if (backend.kind !== 'postgres') return 0;
      let deleted = 0;
      for (const name of Object.keys(queues) as QueueName[]) {
        const { removeOnComplete, removeOnFail } = queueDefinitions[name].defaultJobOptions;
        for (const [state, kept] of [
          ['completed', removeOnComplete],
          ['failed', removeOnFail],
        ] as const) {
          const ageMs = keptForMs(kept);
          if (ageMs !== undefined) deleted += (await queues[name].clean(ageMs, trimmedPerRun, state)).length;
        }
      }
      return deleted;
    },
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

/**
 * A queue's job options as its backend can afford them. BullMQ's PostgreSQL backend trims finished
 * jobs on every job's completion with statements that read all the queue's finished jobs (by count,
 * and by age through a plan that cannot use the index): about 1 ms of the database's time per job
 * with a few thousand kept, which overloaded it at 100 warnings a second (BENCHMARKS.md). There,
 * jobs kept by age are left in place on completion and deleted by `trimFinished` instead, an index
 * range delete each reconciler run: kept as long as on Redis, give or take that run's interval.
 */
function onBackend(kind: QueueBackend['kind'], options: DefaultJobOptions): DefaultJobOptions {
  if (kind !== 'postgres') return options;
  const trimmedLater = (kept: KeepJobs | boolean | number | undefined) => (keptForMs(kept) === undefined ? kept : false);
  return { ...options, removeOnComplete: trimmedLater(options.removeOnComplete), removeOnFail: trimmedLater(options.removeOnFail) };
}

/** How long finished jobs are kept by age (ms), when retention says so. */
function keptForMs(kept: KeepJobs | boolean | number | undefined): number | undefined {
  return typeof kept === 'object' && 'age' in kept && kept.age !== undefined ? kept.age * 1_000 : undefined;
}

/** At most this many finished jobs of a state are deleted per queue and reconciler run (its next run takes the rest). */
const trimmedPerRun = 20_000;

/**
 * Tamtam's jobs have no children. BullMQ removes a job's children by default, which on the
 * PostgreSQL backend walks the queue's whole table twice (about 60 ms a removal with an hour of
 * finished jobs kept, once per acknowledged alert, whose timer is removed).
 */
const withoutChildren = { removeChildren: false };

/**
 * Adds jobs one after the other: as fast as all at once on the PostgreSQL backend
 * (bench/add-costs.ts), and on one connection of the queue's pool rather than all of them: a
 * Tamtam process on that backend holds a few connections per queue and worker, and PostgreSQL's
 * default limit is 100.
 */
async function addOneByOne(queue: Queue, jobs: Parameters<Queue['addBulk']>[0]): Promise<void> {
  for (const job of jobs) await queue.add(job.name, job.data, job.opts);
}

/** Longest wait before a failed job is revived again. */
const maxReviveAfterMs = 15 * 60_000;

/** How long a job failed for good waits before the reconciler revives it: doubled for each revival already made. */
function reviveAfterMs(job: Job, backoffMs: number): number {
  const revivals = Math.max(0, job.attemptsMade - (job.opts.attempts ?? 1));
  return Math.min(backoffMs * 2 ** Math.min(revivals, 20), maxReviveAfterMs);
}
