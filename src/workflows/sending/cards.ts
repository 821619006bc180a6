import { getAlert, type AlertRow } from '../../db/alerts.js';
import { corroborationOf, type Corroboration } from '../../db/incidents.js';
import type { DbOrTx, Tx } from '../../db/index.js';
import { getFocalPoint } from '../../db/focal-points.js';
import { insertOutbound, type OutboundInput, type QueuedOutbound } from '../../db/outbox.js';
import type { ChannelName } from '../../channels/channel.js';
import type { FieldOfficeRow } from '../../db/offices.js';
import { getPlace } from '../../db/places.js';
import { renderAlertCard, type PlaceNames } from './card-text.js';
import type { WorkflowDeps } from '../deps.js';
import { memo } from '../../memo.js';
import { outcomeIds } from '../../domain/taxonomy.js';
import { deliveryAddress, recipientKey, resolveTargets, type Recipient } from './recipients.js';

/** Buttons under an alert card (Telegram); data is `<action>:<ref>` (`fix:<ref>` opens the correction keyboard). */
export function cardActions(t: WorkflowDeps['t'], language: string, ref: string) {
  return [
    { label: t(language, 'officer:button.acknowledge'), data: `ack:${ref}` },
    { label: t(language, 'officer:button.responding'), data: `responding:${ref}` },
    { label: t(language, 'officer:button.resolve'), data: `resolve:${ref}` },
    { label: t(language, 'officer:button.dismiss'), data: `dismiss:${ref}` },
    { label: t(language, 'officer:button.escalate'), data: `escalate:${ref}` },
    { label: t(language, 'officer:button.correct'), data: `fix:${ref}` },
  ];
}

/**
 * Buttons under a resolved alert's card: one per outcome, ticked when chosen; a press toggles it.
 * Data is `out:<outcome>:<ref>`.
 */
export function outcomeActions(t: WorkflowDeps['t'], language: string, ref: string, chosen: readonly string[]) {
  return outcomeIds.map((id) => ({ label: `${chosen.includes(id) ? '☑️' : '▫️'} ${t(language, `common:outcome.${id}`)}`, data: `out:${id}:${ref}` }));
}

/** What a card shows that the caller may already have in hand (saves reading it again). */
export interface CardContext {
  place: PlaceNames | null;
  pseudonym: string | null;
  /** The reference of the reporter's earlier alert this one is linked to (another incident told soon after). */
  linkedTo?: string | null;
  /** How many reports, from how many reporters, tell of this alert's incident. */
  corroboration?: Corroboration | null;
}

/** What a card shows of an alert's place and reporter, read from the database. */
export async function cardContextOf(db: DbOrTx, alert: Pick<AlertRow, 'id' | 'placeId' | 'focalPointId' | 'linkedToId'>): Promise<CardContext> {
  return {
    place: alert.placeId ? await getPlace(db, alert.placeId) : null,
    pseudonym: alert.focalPointId ? ((await getFocalPoint(db, alert.focalPointId))?.pseudonym ?? null) : null,
    linkedTo: alert.linkedToId ? ((await getAlert(db, alert.linkedToId))?.ref ?? null) : null,
    corroboration: await corroborationOf(db, alert.id),
  };
}

/** Recipients of a notification with the channel and address each is reached at, and those who cannot be reached. */
export interface Addressees {
  reachable: { key: string; recipient: Recipient; address: { channel: ChannelName; to: string } }[];
  unreachable: string[];
}

export function addressees(deps: Pick<WorkflowDeps, 'channels'>, recipients: readonly Recipient[]): Addressees {
  const result: Addressees = { reachable: [], unreachable: [] };
  for (const recipient of recipients) {
    const key = recipientKey(recipient);
    const address = deliveryAddress(recipient, deps.channels);
    if (address) result.reachable.push({ key, recipient, address });
    else result.unreachable.push(key);
  }
  return result;
}

/**
 * The outbox rows of one alert card per reachable recipient of an escalation level (nothing is
 * written). Officers who read the same language on the same kind of channel share one rendering.
 */
export function alertCardRows(
  deps: Pick<WorkflowDeps, 't' | 'pii' | 'deployment'>,
  args: {
    alert: AlertRow;
    office: FieldOfficeRow;
    to: Addressees['reachable'];
    level: number;
    escalatedMinutes?: number;
    context: CardContext;
    /** Encrypts an address for the outbox (default `pii.encrypt`; a batch of cards shares one per officer). */
    seal?: (address: string) => string;
  },
): OutboundInput[] {
  const seal = args.seal ?? deps.pii.encrypt;
  const { alert, office, level } = args;

  const cards = memo((variant: string) => {
    const [language, channel] = variant.split('|') as [string, string];
    return {
      body: renderAlertCard(
        deps.t,
        language,
        { alert, office, ...args.context },
        { escalation: level > 0 ? { level, minutes: args.escalatedMinutes ?? 0 } : undefined, smsHelp: channel === 'sms' },
      ),
      actions: cardActions(deps.t, language, alert.ref),
    };
  });
  return args.to.map(({ key, recipient, address }) => {
    const language = recipient.kind === 'officer' ? recipient.officer.language : deps.deployment.defaultLanguage;
    const { body, actions } = cards(`${language}|${address.channel}`);
    return {
      alertId: alert.id,
      channel: address.channel,
      recipient: key,
      toEnc: seal(address.to),
      purpose: level === 0 ? 'card' : 'escalation',
      body,
      actions,
      dedupeKey: `card:${alert.id}:${alert.timerSeq}:${level}:${key}`,
    };
  });
}

/**
 * Writes one alert card per recipient of an escalation level into the outbox, inside the caller's
 * transaction (so they exist iff the state change does). Returns the new outbound messages, to be
 * enqueued after commit, and who was addressed (for the event row).
 */
export async function queueAlertCards(
  tx: Tx,
  deps: Pick<WorkflowDeps, 't' | 'pii' | 'channels' | 'deployment'>,
  args: {
    alert: AlertRow;
    office: FieldOfficeRow;
    targets: readonly string[];
    level: number;
    escalatedMinutes?: number;
    context?: CardContext;
    /** Other messages of the same change, written in the same statement (returned with the cards). */
    alongside?: OutboundInput[];
  },
): Promise<{ outbound: QueuedOutbound[]; recipients: string[]; unreachable: string[] }> {
  const { alert } = args;
  const recipients = await resolveTargets(tx, args.office, args.targets);
  const context = args.context ?? (await cardContextOf(tx, alert));
  const { reachable, unreachable } = addressees(deps, recipients);
  const rows = alertCardRows(deps, { ...args, to: reachable, context });
  const outbound = await insertOutbound(tx, [...(args.alongside ?? []), ...rows]);
  return { outbound, recipients: recipients.map(recipientKey), unreachable };
}
