import type { ChannelName } from '../../channels/channel.js';
import { updateAlert, type AlertRow } from '../../db/alerts.js';
import type { FocalPointRow } from '../../db/focal-points.js';
import type { DbOrTx, Tx } from '../../db/index.js';
import { insertOutbound, type OutboundInput, type QueuedOutbound } from '../../db/outbox.js';
import { findOfficers, type OfficerRow } from '../../db/offices.js';
import { cardRecipients } from '../../db/cards.js';
import { lastMessageAbout, openAlertsOfReporter, questionAskedSince } from '../../db/reporters.js';
import { getPlace, toPlace } from '../../db/places.js';
import { defaultIncidentSettings, followUpVerdict, type IncidentVerdict } from '../../domain/incidents.js';
import type { ThreatType } from '../../domain/taxonomy.js';
import type { WorkflowDeps } from '../deps.js';
import { deliveryAddress } from '../sending/recipients.js';

/** A reporter's message within this time of their previous one about an open alert adds to it. */
export const followUpWindowMs = 15 * 60_000;
/** An officer's question keeps the conversation open this long. */
export const questionWindowMs = 24 * 3_600_000;

/**
 * What a reporter's message was decided against: their newest open alert and when they last wrote
 * about it. The transaction that writes a new alert checks both again under the reporter's lock
 * (see stillNew in alerts/warnings.ts): a change means another job moved on meanwhile.
 */
export interface FollowUpBasis {
  newestOpenId: number | null;
  lastMessageAt: Date | null;
}

/** The basis of a reporter with no open alert. */
export const noOpenAlert: FollowUpBasis = { newestOpenId: null, lastMessageAt: null };

/** A reporter's message inside the follow-up window that tells of another incident: the alert it is linked to, and why. */
export interface LinkedIncident {
  alert: AlertRow;
  reason: Extract<IncidentVerdict, { same: false }>['reason'];
}

/**
 * Decides whether a reporter's message continues one of their open alerts rather than warning of
 * something new (README, "Follow-ups"): it names the alert's reference; or it answers an officer's
 * question sent within the last 24 h; or it comes within 15 minutes of their previous message
 * about that alert and tells of the same incident (see followUpVerdict: another place or another
 * kind of threat is a new alert, `linkTo` the earlier one). Anything else is a new alert.
 */
export async function followUpTarget(
  db: DbOrTx,
  deps: Pick<WorkflowDeps, 'analyser' | 'deployment'>,
  reporter: FocalPointRow,
  text: string,
  now: Date,
): Promise<{ target: AlertRow | null; linkTo?: LinkedIncident } & FollowUpBasis> {
  const open = await openAlertsOfReporter(db, reporter.id);
  if (open.length === 0) return { target: null, ...noOpenAlert };
  const named = open.find((a) => new RegExp(`(^|[^A-Z0-9])${a.ref}([^A-Z0-9]|$)`, 'i').test(text));
  const latest = open[0]!;
  if (named) return { target: named, newestOpenId: latest.id, lastMessageAt: null };
  const basis = { newestOpenId: latest.id, lastMessageAt: await lastMessageAbout(db, latest.id, reporter.id) };
  const lastAt = basis.lastMessageAt ?? latest.createdAt;
  const within = now.getTime() - lastAt.getTime() <= followUpWindowMs;
  const verdict = within ? await sameIncidentAs(db, deps, latest, text) : null;
  if (verdict?.same) return { target: latest, ...basis };
  // An answer to an officer's question follows up, whatever it tells.
  const asked = await questionAskedSince(db, latest.id, new Date(Math.max(lastAt.getTime(), now.getTime() - questionWindowMs)));
  if (asked) return { target: latest, ...basis };
  return verdict ? { target: null, linkTo: { alert: latest, reason: verdict.reason }, ...basis } : { target: null, ...basis };
}

/** Whether a message tells of the incident of an alert (see followUpVerdict), from what the analyser makes of it. */
async function sameIncidentAs(
  db: DbOrTx,
  deps: Pick<WorkflowDeps, 'analyser' | 'deployment'>,
  alert: AlertRow,
  text: string,
): Promise<IncidentVerdict> {
  const c = deps.analyser.classify(text);
  const placeRow = alert.placeId ? await getPlace(db, alert.placeId) : null;
  return followUpVerdict(
    {
      threatType: alert.threatType as ThreatType | null,
      otherThreatTypes: alert.otherThreatTypes as ThreatType[],
      place: placeRow ? toPlace(placeRow) : null,
    },
    { text, threatType: c.threatType, otherThreatTypes: c.otherThreatTypes, place: deps.analyser.findPlace(text) },
    { ...defaultIncidentSettings, nearKm: deps.deployment.sameIncident.nearKm },
  );
}

/** Officers who hold an alert: whoever acknowledged it, else everyone who was sent its card. */
export async function alertHolders(db: DbOrTx, alert: AlertRow) {
  if (alert.acknowledgedBy) return findOfficers(db, { ids: [alert.acknowledgedBy] });
  const ids = (await cardRecipients(db, alert.id)).filter((r) => r.startsWith('officer:')).map((r) => r.slice('officer:'.length));
  return ids.length ? findOfficers(db, { ids }) : [];
}

/**
 * One message to each officer holding the alert, at the address their channel uses (sealed), built
 * by `content` in that officer's language; officers with no usable address are skipped.
 */
export async function messagesToHolders(
  tx: Tx,
  deps: Pick<WorkflowDeps, 'pii' | 'channels'>,
  alert: AlertRow,
  content: (officer: OfficerRow) => Pick<OutboundInput, 'purpose' | 'body' | 'actions' | 'dedupeKey'>,
): Promise<OutboundInput[]> {
  const rows: OutboundInput[] = [];
  for (const officer of await alertHolders(tx, alert)) {
    const address = deliveryAddress({ kind: 'officer', officer }, deps.channels);
    if (!address) continue;
    rows.push({
      alertId: alert.id,
      channel: address.channel,
      recipient: `officer:${officer.id}`,
      toEnc: deps.pii.encrypt(address.to),
      ...content(officer),
    });
  }
  return rows;
}

/** Passes a reporter's follow-up to the officers holding the alert, as an event and messages. */
export async function forwardToHolders(
  tx: Tx,
  deps: Pick<WorkflowDeps, 't' | 'pii' | 'channels'>,
  args: { alert: AlertRow; reporter: FocalPointRow; text: string; inboundId: number },
): Promise<QueuedOutbound[]> {
  const { alert, reporter, text } = args;
  // Through updateAlert (the alert's updated_at moves): a card counting the reports is edited again.
  await updateAlert(tx, alert.id, {}, { type: 'reporter_message', actor: `reporter:${reporter.pseudonym}`, data: { text } });
  const rows = await messagesToHolders(tx, deps, alert, (officer) => ({
    purpose: 'reporter_message',
    body: deps.t(officer.language, 'officer:conversation.fromReporter', { pseudonym: reporter.pseudonym, ref: alert.ref, text }),
    dedupeKey: `forward:${args.inboundId}:${officer.id}`,
  }));
  return insertOutbound(tx, rows);
}

/** The reporter's encrypted address on a channel (it is decrypted only by the send step). */
export function sealedReporterAddress(reporter: FocalPointRow, channel: ChannelName): string | null {
  return (channel === 'telegram' ? reporter.telegramEnc : reporter.phoneEnc) ?? null;
}
