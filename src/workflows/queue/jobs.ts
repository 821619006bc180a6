import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DefaultJobOptions } from 'bullmq';

const id = z.number().int().positive();
/** Most ids one job carries (a burst's messages, taken in and written together). */
export const maxIdsPerJob = 100;
const ids = z.array(id).min(1).max(maxIdsPerJob);

/** Every job's payload, keyed by job name. Payloads are ids: processors re-read the state. */
export const jobSchemas = {
  /** Messages received together (a burst at the intake, or the reconciler's catch-up). */
  inbound: z.object({ inboundIds: ids }).strict(),
  classify: z.object({ alertId: id }).strict(),
  route: z.object({ alertId: id }).strict(),
  notify: z.object({ alertId: id }).strict(),
  escalate: z.object({ alertId: id, seq: z.number().int().min(0) }).strict(),
  /** One message, or several on a channel queue without a rate limit (see enqueueSends). */
  send: z
    .object({
      outboundIds: ids,
      channel: z.enum(['sms', 'telegram', 'simulator']),
      /** Provider ids of messages the provider accepted but whose outcome could not be recorded: the retry records them, it does not send them again. */
      accepted: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
  reconcile: z.object({}).strict(),
  /** The weekly digest to supervisors and the JOC (a job scheduler's, see workers.ts). */
  digest: z.object({}).strict(),
} as const;

export type JobName = keyof typeof jobSchemas;
export type JobData<N extends JobName> = z.infer<(typeof jobSchemas)[N]>;

/**
 * The same work always gets the same job id, so enqueueing twice (a retry, the reconciler) adds it
 * once. BullMQ ids may not contain `:`.
 */
export function jobIdFor<N extends JobName>(name: N, data: JobData<N>): string {
  const d = data as Record<string, number>;
  switch (name) {
    case 'inbound':
      return `inbound-${idsKey((data as JobData<'inbound'>).inboundIds)}`;
    case 'escalate':
      return `escalate-${d.alertId}-${d.seq}`;
    case 'send':
      return `send-${idsKey((data as JobData<'send'>).outboundIds)}`;
    case 'reconcile':
      return 'reconcile';
    case 'digest':
      return 'digest';
    default:
      return `${name}-${d.alertId}`;
  }
}

/** `42` for one id; `42-<hash of all>` for several (the same set, the same job). */
function idsKey(list: readonly number[]): string {
  if (list.length === 1) return String(list[0]);
  return `${list[0]}-${createHash('sha1').update(list.join(',')).digest('hex').slice(0, 12)}`;
}

const retained = { removeOnComplete: { age: 3_600, count: 5_000 }, removeOnFail: { age: 7 * 86_400 } };

export interface QueueDefinition {
  jobs: readonly JobName[];
  /** Jobs processed at once per worker process. */
  concurrency: number;
  defaultJobOptions: DefaultJobOptions;
  /** At most `max` jobs per `duration` ms across all workers (providers' rate limits). */
  limiter?: { max: number; duration: number };
}

/** Every queue's options, in one place. */
export const queueDefinitions = {
  inbound: {
    jobs: ['inbound'],
    concurrency: 16,
    defaultJobOptions: { attempts: 12, backoff: { type: 'exponential', delay: 500 }, ...retained },
  },
  alerts: {
    jobs: ['classify', 'route', 'notify'],
    concurrency: 16,
    defaultJobOptions: { attempts: 12, backoff: { type: 'exponential', delay: 500 }, ...retained },
  },
  escalation: {
    jobs: ['escalate'],
    concurrency: 8,
    defaultJobOptions: { attempts: 20, backoff: { type: 'exponential', delay: 1_000 }, ...retained },
  },
  // One outbound queue per channel, so one provider's rate limit never holds up another's messages.
  'outbound-telegram': {
    jobs: ['send'],
    concurrency: 16,
    // Telegram allows about 30 messages/s per bot overall.
    limiter: { max: 30, duration: 1_000 },
    defaultJobOptions: { attempts: 8, backoff: { type: 'provider', delay: 2_000 }, ...retained },
  },
  'outbound-sms': {
    jobs: ['send'],
    concurrency: 16,
    // A Twilio long code sends about 1 SMS/s, a messaging service pool more; queueing beyond is Twilio's.
    limiter: { max: 50, duration: 1_000 },
    defaultJobOptions: { attempts: 8, backoff: { type: 'provider', delay: 2_000 }, ...retained },
  },
  'outbound-simulator': {
    jobs: ['send'],
    concurrency: 32,
    defaultJobOptions: { attempts: 8, backoff: { type: 'provider', delay: 2_000 }, ...retained },
  },
  maintenance: {
    jobs: ['reconcile', 'digest'],
    concurrency: 1,
    defaultJobOptions: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof queueDefinitions;

/**
 * Backoff for sends (`type: 'provider'`): wait what the provider asked (Telegram `retry_after`,
 * HTTP Retry-After) when it said, else exponential from the job's `delay`.
 */
export function providerBackoff(attemptsMade: number, delay: number, err?: Error): number {
  const retryAfter = (err as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (retryAfter !== undefined && retryAfter >= 0) return retryAfter * 1_000 + 250;
  return delay * 2 ** Math.max(0, attemptsMade - 1);
}

/** Whether a channel's queue has a rate limit (then each send job carries one message, as the limit counts jobs). */
export function isRateLimited(channel: 'sms' | 'telegram' | 'simulator'): boolean {
  return 'limiter' in queueDefinitions[`outbound-${channel}`];
}

/** The queue that holds a job: fixed per job name, except sends, which go to their channel's queue. */
export function queueOf<N extends JobName>(job: N, data?: JobData<N>): QueueName {
  if (job === 'send') {
    if (!data) throw new Error('a send job needs its data to find its queue');
    return `outbound-${(data as JobData<'send'>).channel}`;
  }
  for (const [queue, def] of Object.entries(queueDefinitions) as [QueueName, QueueDefinition][]) {
    if (def.jobs.includes(job)) return queue;
  }
  throw new Error(`no queue declares job "${job}"`);
}
