import { getAlert, getAlertByRef, lockAlert, updateAlert, type AlertRow } from '../../db/alerts.js';
import { getOfficer } from '../../db/offices.js';
import { outcomeEventType, recordedOutcomeOf } from '../../db/outcomes.js';
import type { AlertStatus, OutcomeId } from '../../domain/taxonomy.js';
import { actOnAlert, type ActionOutcome } from './actions.js';
import { queueCardUpdates } from '../sending/card-updates.js';
import type { WorkflowDeps } from '../deps.js';
import { mayActOn } from './permissions.js';

export type OutcomeChange =
  | ActionOutcome
  /** The alert was dismissed: a dismissal has no outcomes to record. */
  | { outcome: 'closed'; alert: AlertRow }
  /** A resolved alert's outcomes, as now recorded. */
  | { outcome: 'recorded'; alert: AlertRow; outcomes: OutcomeId[] };

/**
 * Records what was done about an alert. An open alert is resolved with these outcomes (one
 * transition, as the Resolve button); a resolved one has its outcomes replaced by `set`, or the one
 * outcome in `toggle` ticked or unticked (the card's buttons). Recorded as an `outcome_recorded`
 * event with the whole set; every copy of the card is edited to show it.
 */
export async function recordOutcomes(
  deps: WorkflowDeps,
  args: { alert: { ref: string } | { id: number }; officerId: string; note?: string } & ({ set: readonly OutcomeId[] } | { toggle: OutcomeId }),
): Promise<OutcomeChange> {
  const officer = await getOfficer(deps.db, args.officerId);
  if (!officer) return { outcome: 'unknown_officer' };
  const alert = 'ref' in args.alert ? await getAlertByRef(deps.db, args.alert.ref) : await getAlert(deps.db, args.alert.id);
  if (!alert) return { outcome: 'unknown_alert' };
  if (alert.status !== 'resolved' && alert.status !== 'dismissed') {
    const outcomes = 'set' in args ? args.set : [args.toggle];
    return actOnAlert(deps, {
      alert: { id: alert.id },
      officerId: officer.id,
      action: 'resolve',
      outcomes,
      ...(args.note ? { note: args.note } : {}),
    });
  }
  if (!mayActOn(officer, alert)) {
    deps.log.warn({ officer: officer.id, alert: alert.ref }, 'refused: outcome from an officer outside the alert office');
    return { outcome: 'not_allowed', alert };
  }
  if (alert.status === 'dismissed') return { outcome: 'closed', alert };
  const changed = await deps.db.transaction(async (tx) => {
    // Locked, so that two officers ticking at once each add to what the other ticked.
    const locked = (await lockAlert(tx, alert.id)) ?? alert;
    const chosen = (await recordedOutcomeOf(tx, alert.id)).outcomes;
    const outcomes =
      'set' in args ? [...new Set(args.set)] : chosen.includes(args.toggle) ? chosen.filter((o) => o !== args.toggle) : [...chosen, args.toggle];
    const data = { outcomes, ...(args.note ? { note: args.note } : {}) };
    await updateAlert(tx, locked.id, {}, { type: outcomeEventType, actor: `officer:${officer.id}`, data });
    return outcomes;
  });
  await queueCardUpdates(deps, alert.id);
  return { outcome: 'recorded', alert, outcomes: changed };
}

/** Adds an officer's note to an alert's timeline (`note_added`), whatever its status. */
export async function addNote(deps: WorkflowDeps, args: { alert: { ref: string }; officerId: string; text: string }): Promise<ActionOutcome> {
  const officer = await getOfficer(deps.db, args.officerId);
  if (!officer) return { outcome: 'unknown_officer' };
  const alert = await getAlertByRef(deps.db, args.alert.ref);
  if (!alert) return { outcome: 'unknown_alert' };
  if (!mayActOn(officer, alert)) return { outcome: 'not_allowed', alert };
  await updateAlert(deps.db, alert.id, {}, { type: 'note_added', actor: `officer:${officer.id}`, data: { note: args.text } });
  return { outcome: 'done', alert, from: alert.status as AlertStatus };
}
