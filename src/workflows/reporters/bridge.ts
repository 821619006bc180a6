import type { ChannelName } from '../../channels/channel.js';
import { getAlert, getAlertByRef, recordEvent, type AlertRow } from '../../db/alerts.js';
import { getFocalPoint } from '../../db/focal-points.js';
import { getOfficer } from '../../db/offices.js';
import { insertOutbound } from '../../db/outbox.js';
import type { WorkflowDeps } from '../deps.js';
import { mayActOn } from '../officers/permissions.js';
import { enqueueSends } from '../sending/pacing.js';
import { sealedReporterAddress } from './conversation.js';
import { reporterLanguage } from './language.js';

export type BridgeOutcome =
  | { outcome: 'bridged'; alert: AlertRow; pseudonym: string }
  | { outcome: 'unknown_alert' | 'unknown_officer' }
  | { outcome: 'not_allowed'; alert: AlertRow }
  | { outcome: 'too_long'; alert: AlertRow; length: number; limit: number }
  | { outcome: 'unreachable'; alert: AlertRow; pseudonym: string | null; reason: 'opted_out' | 'no_address' };

/**
 * The longest reply an officer may send a reporter, in characters: an SMS reporter gets it in 4 to
 * 10 parts (Twilio refuses a body over 1,600 characters for good, and a reply cut short is worse
 * than one refused while the officer can still shorten it). The web form stops at the same length.
 */
export const longestReply = 600;

/**
 * Sends an officer's words to the reporter of an alert, through Tamtam, on the channel the alert
 * came in on: the officer never needs the number. Recorded as `reply_bridged`.
 */
export async function bridgeToReporter(
  deps: WorkflowDeps,
  args: { alert: { ref: string } | { id: number }; officerId: string; text: string },
): Promise<BridgeOutcome> {
  const officer = await getOfficer(deps.db, args.officerId);
  if (!officer) return { outcome: 'unknown_officer' };
  const alert = 'ref' in args.alert ? await getAlertByRef(deps.db, args.alert.ref) : await getAlert(deps.db, args.alert.id);
  if (!alert) return { outcome: 'unknown_alert' };
  if (!mayActOn(officer, alert)) {
    deps.log.warn({ officer: officer.id, alert: alert.ref }, 'refused: reply from an officer outside the alert office');
    return { outcome: 'not_allowed', alert };
  }
  const length = [...args.text].length;
  if (length > longestReply) return { outcome: 'too_long', alert, length, limit: longestReply };
  const reporter = alert.focalPointId ? await getFocalPoint(deps.db, alert.focalPointId) : null;
  const sealed = reporter ? sealedReporterAddress(reporter, alert.channel as ChannelName) : null;
  if (!reporter || !sealed || reporter.optedOut) {
    return { outcome: 'unreachable', alert, pseudonym: reporter?.pseudonym ?? null, reason: reporter?.optedOut ? 'opted_out' : 'no_address' };
  }
  const actor = `officer:${officer.id}`;
  const queued = await deps.db.transaction(async (tx) => {
    await recordEvent(tx, alert.id, { type: 'reply_bridged', actor, data: { direction: 'to_reporter', text: args.text } });
    return insertOutbound(tx, [
      {
        alertId: alert.id,
        channel: alert.channel,
        recipient: `reporter:${reporter.id}`,
        toEnc: sealed,
        purpose: 'question',
        body: deps.t(reporterLanguage(deps, reporter, { alert }), 'reporter:question', { ref: alert.ref, text: args.text }),
      },
    ]);
  });
  await enqueueSends(deps, queued);
  return { outcome: 'bridged', alert, pseudonym: reporter.pseudonym };
}
