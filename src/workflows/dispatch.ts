import type { AlertRow } from '../db/alerts.js';
import type { Tx } from '../db/index.js';
import { getFocalPoint } from '../db/focal-points.js';
import { insertOutbound, reserveSendSlot, type OutboundInput, type QueuedOutbound } from '../db/messages.js';
import type { ChannelName } from '../channels/channel.js';
import type { FieldOfficeRow } from '../db/offices.js';
import { getPlace } from '../db/places.js';
import { renderAlertCard, type PlaceNames } from './alert-card.js';
import type { WorkflowDeps } from './deps.js';
import type { NewJob } from './queues.js';
import { memo } from '../memo.js';
import { deliveryAddress, recipientKey, resolveTargets } from './recipients.js';

/** Buttons under an alert card (Telegram); data is `<action>:<ref>`. */
export function cardActions(t: WorkflowDeps['t'], language: string, ref: string) {
  return [
    { label: t(language, 'officer:button.acknowledge'), data: `ack:${ref}` },
    { label: t(language, 'officer:button.responding'), data: `responding:${ref}` },
    { label: t(language, 'officer:button.resolve'), data: `resolve:${ref}` },
    { label: t(language, 'officer:button.dismiss'), data: `dismiss:${ref}` },
    { label: t(language, 'officer:button.escalate'), data: `escalate:${ref}` },
  ];
}

/** What a card shows that the caller may already have in hand (saves reading it again). */
export interface CardContext {
  place: PlaceNames | null;
  pseudonym: string | null;
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
  const { alert, office, level } = args;
  const recipients = await resolveTargets(tx, office, args.targets);
  const { place, pseudonym } = args.context ?? {
    place: alert.placeId ? await getPlace(tx, alert.placeId) : null,
    pseudonym: alert.focalPointId ? ((await getFocalPoint(tx, alert.focalPointId))?.pseudonym ?? null) : null,
  };
  // Officers who read the same language on the same kind of channel get the same card: render it once.
  const cards = memo((variant: string) => {
    const [language, channel] = variant.split('|') as [string, string];
    return {
      body: renderAlertCard(
        deps.t,
        language,
        { alert, office, place, pseudonym },
        { escalation: level > 0 ? { level, minutes: args.escalatedMinutes ?? 0 } : undefined, smsHelp: channel === 'sms' },
      ),
      actions: cardActions(deps.t, language, alert.ref),
    };
  });
  const rows: OutboundInput[] = [];
  const unreachable: string[] = [];
  for (const recipient of recipients) {
    const key = recipientKey(recipient);
    const address = deliveryAddress(recipient, deps.channels);
    if (!address) {
      unreachable.push(key);
      continue;
    }
    const language = recipient.kind === 'officer' ? recipient.officer.language : deps.deployment.defaultLanguage;
    const { body, actions } = cards(`${language}|${address.channel}`);
    rows.push({
      alertId: alert.id,
      channel: address.channel,
      recipient: key,
      toEnc: deps.pii.encrypt(address.to),
      purpose: level === 0 ? 'card' : 'escalation',
      body,
      actions,
      dedupeKey: `card:${alert.id}:${alert.timerSeq}:${level}:${key}`,
    });
  }
  const outbound = await insertOutbound(tx, [...(args.alongside ?? []), ...rows]);
  return { outbound, recipients: recipients.map(recipientKey), unreachable };
}

/** Telegram's per-chat limits: about 1 message/s to a person, 20/min to a group. */
export function telegramSpacingMs(recipient: string): number {
  return recipient.startsWith('office:') ? 3_000 : 1_000;
}

/**
 * Enqueues the send jobs of new outbound messages. Telegram messages wait for their chat's next
 * free slot, so bursts (an escalation, card edits) stay within Telegram's per-chat limits.
 * `alsoAdd` are other jobs to add in the same round trip (an escalation timer).
 */
export async function enqueueSends(deps: Pick<WorkflowDeps, 'db' | 'queues'>, messages: QueuedOutbound[], alsoAdd: NewJob[] = []): Promise<void> {
  if (messages.length === 0 && alsoAdd.length === 0) return;
  const jobs = await Promise.all(
    messages.map(async (m): Promise<NewJob> => {
      const channel = m.channel as ChannelName;
      const delay =
        channel === 'telegram' ? Math.max(0, (await reserveSendSlot(deps.db, `telegram:${m.recipient}`, telegramSpacingMs(m.recipient))).getTime() - Date.now()) : 0;
      return { name: 'send', data: { outboundId: m.id, channel }, options: delay > 0 ? { delay } : {} };
    }),
  );
  await deps.queues.addMany([...jobs, ...alsoAdd]);
}
