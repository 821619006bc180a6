import { getAlertByRef, lockAlert, recordEvent, updateAlert, type AlertRow } from '../../db/alerts.js';
import { getFocalPoint } from '../../db/focal-points.js';
import { moveReport, reportsOf } from '../../db/incidents.js';
import { getOfficer } from '../../db/offices.js';
import type { WorkflowDeps } from '../deps.js';
import { mayActOn } from '../officers/permissions.js';
import { queueCardUpdates } from '../sending/card-updates.js';
import { enqueueSends } from '../sending/pacing.js';
import { createWarningAlerts } from './new-alert.js';
import { acknowledgementTo } from '../reporters/acknowledgements.js';

/** What splitting a report out of an alert came to. */
export type SplitOutcome =
  | { outcome: 'done'; alert: AlertRow; split: AlertRow; n: number }
  | { outcome: 'unknown_alert' }
  | { outcome: 'unknown_officer' }
  | { outcome: 'not_allowed'; alert: AlertRow }
  /** No report `n`, or report `n` is the alert's own first message. */
  | { outcome: 'no_such_report'; alert: AlertRow; n: number };

/**
 * "Not the same incident": an officer splits report `n` of an alert (a warning grouped under it, or
 * a follow-up; see reportsOf) out into an alert of its own, classified, routed and notified with its
 * own escalation timer, in one transaction with a `report_split` event on both timelines. The
 * reporter is confirmed the new reference (their next messages follow up on it) and the first
 * alert's cards are edited to count one report less.
 */
export async function splitReport(
  deps: WorkflowDeps,
  args: { ref: string; officerId: string } & ({ n: number } | { inboundId: number }),
): Promise<SplitOutcome> {
  // A button names the report by its message (`inboundId`): its number may have changed since the
  // button was sent, when a report received earlier was grouped later. A typed command gives the number.
  const wanted = 'n' in args ? (r: { n: number }) => r.n === args.n : (r: { inboundId: number }) => r.inboundId === args.inboundId;
  const asked = 'n' in args ? args.n : 0;
  const officer = await getOfficer(deps.db, args.officerId);
  if (!officer) return { outcome: 'unknown_officer' };
  const found = await getAlertByRef(deps.db, args.ref);
  if (!found) return { outcome: 'unknown_alert' };
  const actor = `officer:${officer.id}`;
  if (!mayActOn(officer, found)) {
    deps.log.warn({ officer: officer.id, alert: found.ref, action: 'split' }, 'refused: officer outside the alert office');
    await recordEvent(deps.db, found.id, { type: 'action_refused', actor, data: { action: 'split', reason: 'outside the alert office' } });
    return { outcome: 'not_allowed', alert: found };
  }
  const result = await deps.db.transaction(async (tx) => {
    // One split of a report at a time: the second finds it moved.
    const alert = (await lockAlert(tx, found.id))!;
    const report = (await reportsOf(tx, alert.id)).find(wanted);
    const reporter = report && report.outcome !== 'alert' ? await getFocalPoint(tx, report.focalPointId) : null;
    if (!report || !reporter) return { outcome: 'no_such_report' as const, alert, n: report?.n ?? asked };
    const created = await createWarningAlerts(tx, deps, [{ text: report.text, channel: report.channel, reporter }], 'now', (split) =>
      acknowledgementTo(deps, reporter, report, split, { message: 'reporter:confirmation', dedupeKey: `confirmation:${split.id}` }),
    );
    const split = created.alerts[0]!;
    if (!(await moveReport(tx, report.inboundId, alert.id, split.id))) return { outcome: 'no_such_report' as const, alert, n: report.n };
    const data = { inboundId: report.inboundId, n: report.n, pseudonym: reporter.pseudonym };
    // Through updateAlert (updated_at moves): the first alert's cards are edited to count one report less.
    await updateAlert(tx, alert.id, {}, { type: 'report_split', actor, data: { ...data, splitInto: split.ref } });
    await recordEvent(tx, split.id, { type: 'report_split', actor, data: { ...data, splitFrom: alert.ref } });
    return { outcome: 'done' as const, alert, split, created, n: report.n };
  });
  if (result.outcome !== 'done') return result;
  await enqueueSends(deps, result.created.outbound, result.created.jobs);
  await queueCardUpdates(deps, result.alert.id);
  return { outcome: 'done', alert: result.alert, split: result.split, n: result.n };
}
