import { getAlert, getAlertByRef, lockAlert, recordEvent, transitionAlert, type AlertEventInput, type AlertRow } from '../../db/alerts.js';
import { outcomeEventType } from '../../db/outcomes.js';
import type { Tx } from '../../db/index.js';
import { getOfficer, officeFor, type OfficerRow } from '../../db/offices.js';
import { escalationDeadline } from '../../domain/escalation.js';
import type { AlertStatus, OutcomeId, Severity } from '../../domain/taxonomy.js';
import { queueCardUpdates } from '../sending/card-updates.js';
import type { WorkflowDeps } from '../deps.js';
import { mayActOn } from './permissions.js';
import { policyFor } from '../alerts/policy.js';

/** What an officer can do to an alert (buttons, SMS commands, API). */
export const officerActions = ['acknowledge', 'responding', 'resolve', 'dismiss', 'escalate'] as const;
export type OfficerAction = (typeof officerActions)[number];

const targetStatus: Record<Exclude<OfficerAction, 'escalate'>, AlertStatus> = {
  acknowledge: 'acknowledged',
  responding: 'responding',
  resolve: 'resolved',
  dismiss: 'dismissed',
};

export type ActionOutcome =
  | { outcome: 'done'; alert: AlertRow; from: AlertStatus }
  | { outcome: 'unknown_alert' }
  | { outcome: 'not_allowed'; alert: AlertRow }
  | { outcome: 'unknown_officer' }
  /** The alert had already moved on (another officer was first): who did what. */
  | { outcome: 'too_late'; alert: AlertRow; by: OfficerRow | null }
  /** "Escalate now" on an alert whose last level has been notified (and repeated): no one further to notify. */
  | { outcome: 'no_further_level'; alert: AlertRow }
  /** A dismissal as a duplicate named no alert that exists (or the alert itself). */
  | { outcome: 'unknown_duplicate'; alert: AlertRow; duplicateOf: string };

/** An officer's action on an alert, in plain arguments (Telegram buttons, SMS commands, the web). */
export interface OfficerActionRequest {
  alert: { ref: string } | { id: number };
  officerId: string;
  action: OfficerAction;
  note?: string;
  /** `resolve`: what was done (recorded as an `outcome_recorded` event with the transition). */
  outcomes?: readonly OutcomeId[];
  /** `dismiss`: the reference of the alert this one duplicates. */
  duplicateOf?: string;
}

/**
 * Applies an officer's action. The status change and its event commit together; two officers
 * acknowledging at once: the row lock makes one win, the other gets `too_late`.
 */
export async function actOnAlert(deps: WorkflowDeps, args: OfficerActionRequest): Promise<ActionOutcome> {
  const officer = await getOfficer(deps.db, args.officerId);
  if (!officer) return { outcome: 'unknown_officer' };
  const alert = 'ref' in args.alert ? await getAlertByRef(deps.db, args.alert.ref) : await getAlert(deps.db, args.alert.id);
  if (!alert) return { outcome: 'unknown_alert' };
  const actor = `officer:${officer.id}`;
  const refuse = async (current: AlertRow): Promise<ActionOutcome> => {
    deps.log.warn({ officer: officer.id, alert: current.ref, action: args.action }, 'refused: officer outside the alert office');
    await recordEvent(deps.db, current.id, { type: 'action_refused', actor, data: { action: args.action, reason: 'outside the alert office' } });
    return { outcome: 'not_allowed', alert: current };
  };
  if (!mayActOn(officer, alert)) return refuse(alert);
  if (args.action === 'escalate') return escalateNow(deps, alert, actor);
  if (args.duplicateOf !== undefined) {
    const original = args.duplicateOf === alert.ref ? null : await getAlertByRef(deps.db, args.duplicateOf);
    if (!original) return { outcome: 'unknown_duplicate', alert, duplicateOf: args.duplicateOf };
  }

  const to = targetStatus[args.action];
  const now = deps.now();
  const data = { ...(args.note ? { note: args.note } : {}), ...(to === 'dismissed' && args.duplicateOf ? { duplicateOf: args.duplicateOf } : {}) };
  const done = await deps.db.transaction(async (tx) => {
    // Decided on the row as it is now: it may have moved to another office, or been acknowledged
    // by another officer, since it was read above.
    const locked = await lockAlert(tx, alert.id);
    if (!locked) return null;
    if (!mayActOn(officer, locked)) return { moved: locked };
    // Acknowledged before it was ever notified (seen on the board while `new`): the deadline its
    // notification would have set, counted from its creation, is recorded as its yardstick for "in time".
    const yardstick = to === 'acknowledged' && locked.notifiedAt === null ? await deadlineIfNotified(tx, deps, locked) : null;
    const changed = await transitionAlert(
      tx,
      alert.id,
      to,
      { type: args.action === 'acknowledge' ? 'acknowledged' : to, actor, data: yardstick ? { ...data, deadline: yardstick.toISOString() } : data },
      {
        // Responding or resolving straight from `notified` also counts as the acknowledgement.
        ...(locked.acknowledgedAt === null ? { acknowledgedAt: now, acknowledgedBy: officer.id } : {}),
        ackDeadline: null,
        ...(to === 'resolved' || to === 'dismissed' ? { closedAt: now } : {}),
      },
      locked,
    );
    const outcome = changed && outcomeOnClosing(to, args);
    if (outcome) await recordEvent(tx, alert.id, { ...outcome, actor });
    return changed;
  });
  if (done && 'moved' in done) return refuse(done.moved);
  if (!done) {
    const current = (await getAlert(deps.db, alert.id)) ?? alert;
    const by = current.acknowledgedBy ? await getOfficer(deps.db, current.acknowledgedBy) : null;
    return { outcome: 'too_late', alert: current, by };
  }
  // The escalation timer is no longer needed; if it fires anyway it finds the alert acknowledged.
  await deps.queues.remove('escalate', { alertId: alert.id, seq: done.alert.timerSeq }).catch(() => false);
  await queueCardUpdates(deps, alert.id, { officer: officer.name, at: now });
  return { outcome: 'done', alert: done.alert, from: done.from };
}

/**
 * The outcome recorded with a closing transition: the outcomes given on resolving; `false_alarm`
 * on a plain dismissal (the button reads "False alarm"); nothing for a duplicate, which is not an
 * outcome of its own.
 */
function outcomeOnClosing(to: AlertStatus, args: OfficerActionRequest): Omit<AlertEventInput, 'actor'> | null {
  if (to === 'resolved' && args.outcomes?.length) return { type: outcomeEventType, data: { outcomes: [...new Set(args.outcomes)] } };
  if (to === 'dismissed' && args.duplicateOf === undefined) return { type: outcomeEventType, data: { outcomes: ['false_alarm'] } };
  return null;
}

/**
 * "Escalate now": fire the pending escalation timer at once. An alert whose escalation is exhausted
 * (no deadline left: the last level was notified and repeated) has no one further to notify, and
 * the officer is told so rather than that it was escalated.
 */
async function escalateNow(deps: WorkflowDeps, alert: AlertRow, actor: string): Promise<ActionOutcome> {
  if (alert.status !== 'notified') return { outcome: 'too_late', alert, by: null };
  if (alert.ackDeadline === null) return { outcome: 'no_further_level', alert };
  await recordEvent(deps.db, alert.id, { type: 'escalation_requested', actor, data: { level: alert.escalationLevel } });
  if (!(await deps.queues.promote('escalate', { alertId: alert.id, seq: alert.timerSeq }))) return { outcome: 'no_further_level', alert };
  return { outcome: 'done', alert, from: alert.status };
}

/** The first acknowledge deadline an alert would have had, notified when it was created (its office's policy, its severity). */
async function deadlineIfNotified(tx: Tx, deps: WorkflowDeps, alert: AlertRow): Promise<Date | null> {
  const office = alert.officeId ? await officeFor(tx, deps.deployment, alert.officeId) : null;
  if (!office) return null;
  return escalationDeadline(policyFor(deps.deployment, office), (alert.severity ?? 'medium') as Severity, alert.createdAt);
}
