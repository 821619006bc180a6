import type { Job } from 'bullmq';
import { lockAlert, recordEvent, transitionAlert, type AlertEventInput, type AlertRow, type AlertStage } from '../../db/alerts.js';
import { insertOutbound, type OutboundInput, type QueuedOutbound } from '../../db/outbox.js';
import type { Tx } from '../../db/index.js';
import { officeFor, type FieldOfficeRow } from '../../db/offices.js';
import { escalationDeadline } from '../../domain/escalation.js';
import type { Severity } from '../../domain/taxonomy.js';
import type { WorkflowDeps } from '../deps.js';
import { NoOfficeForAlert } from '../errors.js';
import { addressees, alertCardRows, cardContextOf, type Addressees, type CardContext } from '../sending/cards.js';
import { enqueueSends } from '../sending/pacing.js';
import type { JobData } from '../queue/jobs.js';
import { policyFor } from './policy.js';
import type { NewJob } from '../queue/queues.js';
import { recipientKey, resolveTargets, type Recipient } from '../sending/recipients.js';

/** What a notification leaves to do after its transaction commits: the messages to send and the jobs to add with them (the escalation timer). */
export interface Notified {
  outbound: QueuedOutbound[];
  jobs: NewJob[];
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
  recipientsOf: (office: FieldOfficeRow, targets: readonly string[]) => Promise<Recipient[]> = (office, targets) =>
    resolveTargets(tx, office, targets),
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
  const failed = nobodyReached(0, recipients, to.unreachable);
  const after: AlertEventInput[] = failed ? [failed] : [];
  return {
    office,
    to,
    deadline,
    stage: { set: { status: 'notified', notifiedAt: now, ackDeadline: deadline, timerSeq: alert.timerSeq + 1, escalationLevel: 0 }, event },
    after,
  };
}

/**
 * Level 0 of an alert's notification as it is written, whichever way the alert got there (created
 * notified with the others of a burst, or notified by the notify job): the card of each reachable
 * recipient, and the escalation timer at the acknowledge deadline. `alert` is as notified.
 */
export function levelZero(
  deps: WorkflowDeps,
  alert: AlertRow,
  plan: NotificationPlan,
  now: Date,
  context: CardContext,
  seal?: (address: string) => string,
): { cards: OutboundInput[]; timer: NewJob } {
  return {
    cards: alertCardRows(deps, { alert, office: plan.office, to: plan.to.reachable, level: 0, context, seal }),
    timer: escalationTimer(alert.id, alert.timerSeq, plan.deadline.getTime() - now.getTime()),
  };
}

/**
 * Puts a routed alert in front of its office (escalation level 0): writes the cards, moves it to
 * `notified` and sets the acknowledge deadline, in the caller's transaction. `alert` must be
 * locked by that transaction and still `new`.
 */
export async function notifyAlert(tx: Tx, deps: WorkflowDeps, alert: AlertRow): Promise<Notified> {
  const now = deps.now();
  const plan = await planNotification(tx, deps, alert, now);
  const { cards, timer } = levelZero(
    deps,
    { ...alert, status: 'notified', timerSeq: plan.stage.set.timerSeq! },
    plan,
    now,
    await cardContextOf(tx, alert),
  );
  const outbound = await insertOutbound(tx, cards);
  await transitionAlert(tx, alert.id, 'notified', plan.stage.event, plan.stage.set, alert);
  for (const event of plan.after) await recordEvent(tx, alert.id, event);
  return { outbound, jobs: [timer] };
}

/** The escalation timer of an alert's acknowledge deadline: job `escalate-<alert>-<seq>`, due in `delay` ms. */
export function escalationTimer(alertId: number, seq: number, delay: number): NewJob {
  return { name: 'escalate', data: { alertId, seq }, options: { delay } };
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
  await enqueueSends(deps, notified.outbound, notified.jobs);
  return 'notified';
}

/**
 * The `notification_failed` event of a level no one was reached at: nobody to notify (no one holds
 * the level's roles), or nobody reachable (no address on a channel that is on). Null otherwise.
 */
export function nobodyReached(level: number, recipients: readonly unknown[], unreachable: readonly string[]): AlertEventInput | null {
  if (recipients.length > unreachable.length) return null;
  const reason = recipients.length === 0 ? 'nobody to notify at this level' : 'nobody reachable at this level';
  return { type: 'notification_failed', actor: 'system', data: { level, reason, ...(unreachable.length ? { unreachable } : {}) } };
}
