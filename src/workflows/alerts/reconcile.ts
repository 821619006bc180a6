import type { Job } from 'bullmq';
import type { ChannelName } from '../../channels/channel.js';
import { alertsDueBefore, stalledNewAlerts } from '../../db/alert-lists.js';
import { queuedOutbound } from '../../db/outbox.js';
import { unprocessedInbound } from '../../db/inbound.js';
import type { WorkflowDeps } from '../deps.js';
import { isRateLimited, maxIdsPerJob, queueOf, type JobData } from '../queue/jobs.js';

/** How the reconciler looks at PostgreSQL; the defaults suit production. */
export interface ReconcileOptions {
  /** How often it runs (the job scheduler's period). Default 30 s. */
  everyMs: number;
  /** Work untouched for this long is considered lost and re-enqueued. Default 30 s. */
  staleAfterMs: number;
}

export const defaultReconcileOptions: ReconcileOptions = { everyMs: 30_000, staleAfterMs: 30_000 };

/**
 * Re-creates from PostgreSQL whatever the queue should hold but may have lost (Redis wiped, a
 * crash between commit and enqueue): escalation timers due before the next run, and inbound,
 * alert and outbound work left unprocessed. Adding is idempotent (deterministic job ids).
 */
export async function reconcileStep(_job: Job<JobData<'reconcile'>>, deps: WorkflowDeps, options: ReconcileOptions): Promise<Record<string, number>> {
  const now = deps.now();
  const stale = new Date(now.getTime() - options.staleAfterMs);
  const counts = { timers: 0, alerts: 0, inbound: 0, outbound: 0 };

  // Timers that fire before the next run: a lost one is re-created in time.
  for (const a of await alertsDueBefore(deps.db, new Date(now.getTime() + 2 * options.everyMs))) {
    const delay = Math.max(0, a.ackDeadline!.getTime() - now.getTime());
    if ((await deps.queues.ensure('escalate', { alertId: a.id, seq: a.timerSeq }, { delay })) !== 'exists') counts.timers++;
  }

  for (const a of await stalledNewAlerts(deps.db, now, options.staleAfterMs)) {
    const step = !a.classifiedAt ? 'classify' : !a.routedAt ? 'route' : 'notify';
    if ((await deps.queues.ensure(step, { alertId: a.id }, { backoffMs: options.everyMs })) !== 'exists') counts.alerts++;
  }
  // A job failed for good (its attempts spent on an outage) is revived after a pause that doubles
  // with each revival (everyMs, 2 × everyMs, … up to 15 minutes): see Queues.ensure.
  // Lost messages come back together, a job per batch, as a burst does from the intake. A message
  // still held by a job (a queue that is behind, a job waiting to be retried) is not lost: a second
  // job, grouped differently, would handle it twice (an officer's command run twice).
  const unprocessed = await unprocessedInbound(deps.db, stale);
  const heldInbound = unprocessed.length > 0 ? await deps.queues.heldIds('inbound') : new Set<number>();
  const inbound = unprocessed.filter((id) => !heldInbound.has(id));
  for (let i = 0; i < inbound.length; i += maxIdsPerJob) {
    const inboundIds = inbound.slice(i, i + maxIdsPerJob);
    if ((await deps.queues.ensure('inbound', { inboundIds }, { backoffMs: options.everyMs })) !== 'exists') counts.inbound += inboundIds.length;
  }
  // One job per message: a lost send job may have carried others that were delivered since. A
  // message waiting in a send job of several (the simulator's) is left to it.
  const queued = await queuedOutbound(deps.db, stale);
  const heldOutbound = new Map<string, Set<number>>();
  for (const m of queued) {
    const queue = queueOf('send', { outboundIds: [m.id], channel: m.channel as ChannelName });
    if (!isRateLimited(m.channel as ChannelName) && !heldOutbound.has(queue)) heldOutbound.set(queue, await deps.queues.heldIds(queue));
    if (heldOutbound.get(queue)?.has(m.id)) continue;
    if ((await deps.queues.ensure('send', { outboundIds: [m.id], channel: m.channel as ChannelName }, { backoffMs: options.everyMs })) !== 'exists')
      counts.outbound++;
  }
  if (counts.timers + counts.alerts + counts.inbound + counts.outbound > 0) deps.log.warn(counts, 'reconciler re-enqueued lost work');
  // Finished jobs past their keeping time (the PostgreSQL backend does not delete them as they finish).
  await deps.queues.trimFinished();
  return counts;
}
