import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { lockAlert, recordEvent, transitionAlert, type AlertRow } from '../../db/alerts.js';
import type { OutboundInput, QueuedOutbound } from '../../db/messages.js';
import type { Tx } from '../../db/index.js';
import { officeFor } from '../../db/offices.js';
import { escalationDeadline } from '../../domain/escalation.js';
import type { Severity } from '../../domain/taxonomy.js';
import type { WorkflowDeps } from '../deps.js';
import { enqueueSends, queueAlertCards, type CardContext } from '../dispatch.js';
import type { JobData } from '../jobs.js';
import { policyFor } from '../policy.js';

/** What a notification leaves to do after its transaction commits. */
export interface Notified {
  outbound: QueuedOutbound[];
  /** The escalation timer to set: its sequence number and delay (ms). */
  timer: { seq: number; delay: number };
}

/**
 * Puts a routed alert in front of its office (escalation level 0): writes the cards, moves it to
 * `notified` and sets the acknowledge deadline, in the caller's transaction. `alert` must be
 * locked (or created) by that transaction and still `new`. `alongside` are other messages to queue
 * with the cards (the reporter's confirmation).
 */
export async function notifyAlert(tx: Tx, deps: WorkflowDeps, alert: AlertRow, context?: CardContext, alongside: OutboundInput[] = []): Promise<Notified> {
  if (!alert.officeId) throw new UnrecoverableError(`alert ${alert.id} has no office: route it first`);
  const office = await officeFor(tx, deps.deployment, alert.officeId);
  if (!office) throw new UnrecoverableError(`alert ${alert.id}: office ${alert.officeId} not found`);
  const policy = policyFor(deps.deployment, office);
  const level = policy.levels[0]!;
  const now = deps.now();
  const deadline = escalationDeadline(policy, (alert.severity ?? 'medium') as Severity, now);
  const seq = alert.timerSeq + 1;
  const cards = await queueAlertCards(tx, deps, { alert: { ...alert, status: 'notified', timerSeq: seq }, office, targets: level.notify, level: 0, context, alongside });
  await transitionAlert(
    tx,
    alert.id,
    'notified',
    { type: 'notified', actor: 'system', data: { level: 0, office: office.id, recipients: cards.recipients, unreachable: cards.unreachable, deadline: deadline.toISOString() } },
    { notifiedAt: now, ackDeadline: deadline, timerSeq: seq, escalationLevel: 0 },
    alert,
  );
  if (cards.recipients.length === 0) {
    await recordEvent(tx, alert.id, { type: 'notification_failed', actor: 'system', data: { level: 0, reason: 'nobody to notify at this level' } });
  }
  return { outbound: cards.outbound, timer: { seq, delay: deadline.getTime() - now.getTime() } };
}

/** After commit: the cards' send jobs and the escalation timer, in one go. */
export async function dispatchNotification(deps: WorkflowDeps, alertId: number, notified: Notified): Promise<void> {
  await enqueueSends(deps, notified.outbound, [{ name: 'escalate', data: { alertId, seq: notified.timer.seq }, options: { delay: notified.timer.delay } }]);
}

/** The notify job: used when the stages run one job each (retries, the reconciler). */
export async function notifyStep(job: Job<JobData<'notify'>>, deps: WorkflowDeps): Promise<string> {
  const { alertId } = job.data;
  const notified = await deps.db.transaction(async (tx) => {
    const alert = await lockAlert(tx, alertId);
    if (!alert || alert.status !== 'new') return null; // already notified (a retry), or acted on
    return notifyAlert(tx, deps, alert);
  });
  if (!notified) return 'already notified';
  await dispatchNotification(deps, alertId, notified);
  return 'notified';
}
