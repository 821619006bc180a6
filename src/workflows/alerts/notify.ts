import type { Job } from 'bullmq';
import { lockAlert, recordEvent, transitionAlert, type AlertEventInput, type AlertRow, type AlertStage } from '../../db/alerts.js';
import { insertOutbound, type QueuedOutbound } from '../../db/outbox.js';
import type { Tx } from '../../db/index.js';
import { officeFor, type FieldOfficeRow } from '../../db/offices.js';
import { escalationDeadline } from '../../domain/escalation.js';
import type { Severity } from '../../domain/taxonomy.js';
import type { WorkflowDeps } from '../deps.js';
import { NoOfficeForAlert } from '../errors.js';
import { addressees, alertCardRows, cardContextOf, type Addressees } from '../sending/cards.js';
import { enqueueSends } from '../sending/pacing.js';
import type { JobData } from '../queue/jobs.js';
import { policyFor } from './policy.js';
import type { NewJob } from '../queue/queues.js';
import { recipientKey, resolveTargets, type Recipient } from '../sending/recipients.js';

/** What a notification leaves to do after its transaction commits. */
export interface Notified {
  outbound: QueuedOutbound[];
  /** The escalation timer to set: its sequence number and delay (ms). */
  timer: { seq: number; delay: number };
}

/** What putting an alert in front of its office (escalation level 0) will write. */
export interface NotificationPlan {
  office: FieldOfficeRow;
  to: Addressees;
  deadline: Date;
  /** The change to `notified` and its event (from `new`), and the events that follow it. */
  stage: AlertStage;
  after: AlertEventInput[];
}

/**
 * Decides level 0 of an alert's notification: its office's policy, who is addressed, the
 * acknowledge deadline from `now` by severity, and the timer sequence after `timerSeq`. `recipientsOf`
 * resolves an office's level-0 targets (a batch of alerts shares one look-up per office).
 */
export async function planNotification(
  tx: Tx,
  deps: WorkflowDeps,
  /** `id` is null for an alert being created in the same transaction (it names the alert in errors only). */
  alert: Pick<AlertRow, 'officeId' | 'severity' | 'timerSeq'> & { id: number | null },
  now: Date,
  recipientsOf: (office: FieldOfficeRow, targets: readonly string[]) => Promise<Recipient[]> = (office, targets) => resolveTargets(tx, office, targets),
): Promise<NotificationPlan> {
  if (!alert.officeId) throw new NoOfficeForAlert(alert.id, null);
  const office = await officeFor(tx, deps.deployment, alert.officeId);
  if (!office) throw new NoOfficeForAlert(alert.id, alert.officeId);
  const policy = policyFor(deps.deployment, office);
  const recipients = await recipientsOf(office, policy.levels[0]!.notify);
  const to = addressees(deps, recipients);
  const deadline = escalationDeadline(policy, (alert.severity ?? 'medium') as Severity, now);
  const event: AlertEventInput = {
    type: 'notified',
    actor: 'system',
    from: 'new',
    to: 'notified',
    data: { level: 0, office: office.id, recipients: recipients.map(recipientKey), unreachable: to.unreachable, deadline: deadline.toISOString() },
  };
  const after: AlertEventInput[] =
    recipients.length === 0 ? [{ type: 'notification_failed', actor: 'system', data: { level: 0, reason: 'nobody to notify at this level' } }] : [];
  return { office, to, deadline, stage: { set: { status: 'notified', notifiedAt: now, ackDeadline: deadline, timerSeq: alert.timerSeq + 1, escalationLevel: 0 }, event }, after };
}

/**
 * Puts a routed alert in front of its office (escalation level 0): writes the cards, moves it to
 * `notified` and sets the acknowledge deadline, in the caller's transaction. `alert` must be
 * locked by that transaction and still `new`.
 */
export async function notifyAlert(tx: Tx, deps: WorkflowDeps, alert: AlertRow): Promise<Notified> {
  const now = deps.now();
  const plan = await planNotification(tx, deps, alert, now);
  const seq = plan.stage.set.timerSeq!;
  const context = await cardContextOf(tx, alert);
  const rows = alertCardRows(deps, { alert: { ...alert, status: 'notified', timerSeq: seq }, office: plan.office, to: plan.to.reachable, level: 0, context });
  const outbound = await insertOutbound(tx, rows);
  await transitionAlert(tx, alert.id, 'notified', plan.stage.event, plan.stage.set, alert);
  for (const event of plan.after) await recordEvent(tx, alert.id, event);
  return { outbound, timer: { seq, delay: plan.deadline.getTime() - now.getTime() } };
}

/** The escalation timer of an alert's acknowledge deadline: job `escalate-<alert>-<seq>`, due in `delay` ms. */
export function escalationTimer(alertId: number, seq: number, delay: number): NewJob {
  return { name: 'escalate', data: { alertId, seq }, options: { delay } };
}

/** After commit: the cards' send jobs and the escalation timer, in one go. */
export async function dispatchNotification(deps: WorkflowDeps, alertId: number, notified: Notified): Promise<void> {
  await enqueueSends(deps, notified.outbound, [escalationTimer(alertId, notified.timer.seq, notified.timer.delay)]);
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
