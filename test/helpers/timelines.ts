import type pg from 'pg';
import { newAlertReference } from '../../src/domain/lifecycle.js';
import type { OutcomeId, Severity, ThreatType } from '../../src/domain/taxonomy.js';

/**
 * Alerts with known timelines, written straight into the tables with explicit times, as the
 * workflow writes them: the first inbound message, the alert row, and its events with the types
 * and data shapes of src/workflows (created, classified, routed, notified with its deadline, the
 * reporter's confirmation as `message_sent`, cards as `notification_sent`, escalated, the officer
 * transitions, reply_bridged) plus the `outcome_recorded` contract. Times are seconds after the
 * first message was received.
 */
export interface Timeline {
  /** When the first message reached Tamtam (ISO). */
  received: string;
  office?: string;
  type?: ThreatType;
  severity?: Severity;
  channel?: string;
  text?: string;
  placeId?: number | null;
  focalPointId?: number | null;
  /** Seconds from notification to the first acknowledge deadline (default 300). */
  ackTimeout?: number;
  /** When the first card was accepted by the provider (default 3). */
  cardSent?: number;
  /** When each escalation fired (its card is sent a second later). */
  escalations?: number[];
  acknowledged?: number;
  replied?: number;
  responding?: number;
  resolved?: { at: number; outcomes?: OutcomeId[] };
  dismissed?: { at: number; duplicateOf?: string; outcomes?: OutcomeId[] };
  /** The reporter's follow-up messages (seconds). */
  followUps?: number[];
}

interface Event {
  at: number;
  type: string;
  actor: string;
  from?: string;
  to?: string;
  data?: Record<string, unknown>;
}

const officer = 'officer:o-diallo';

function eventsOf(t: Timeline, created: number): { events: Event[]; status: string; level: number } {
  const timeout = t.ackTimeout ?? 300;
  const deadline = (at: number) => new Date(Date.parse(t.received) + (at + timeout) * 1000).toISOString();
  const events: Event[] = [
    { at: created, type: 'created', actor: 'reporter:PF-TEST', to: 'new', data: { channel: t.channel ?? 'sms' } },
    { at: created, type: 'classified', actor: 'system', data: { threatType: t.type ?? 'armed_group_presence', severity: t.severity ?? 'high' } },
    { at: created, type: 'routed', actor: 'system', data: { office: t.office ?? 'mopti', reason: 'area' } },
    {
      at: created,
      type: 'notified',
      actor: 'system',
      from: 'new',
      to: 'notified',
      data: { level: 0, office: t.office ?? 'mopti', recipients: [officer], unreachable: [], deadline: deadline(created) },
    },
    {
      at: created + 0.5,
      type: 'message_sent',
      actor: 'system',
      data: { recipient: 'reporter:1', channel: 'sms', purpose: 'confirmation', outboundId: 1, attempt: 1 },
    },
    {
      at: t.cardSent ?? 3,
      type: 'notification_sent',
      actor: 'system',
      data: { recipient: officer, channel: 'telegram', purpose: 'card', outboundId: 2, attempt: 1 },
    },
  ];
  let status = 'notified';
  let level = 0;
  for (const at of t.escalations ?? []) {
    level += 1;
    events.push({
      at,
      type: 'escalated',
      actor: 'system',
      data: { level, recipients: ['officer:o-keita'], unreachable: [], deadline: deadline(at) },
    });
    events.push({
      at: at + 1,
      type: 'notification_sent',
      actor: 'system',
      data: { recipient: 'officer:o-keita', channel: 'telegram', purpose: 'escalation', outboundId: 3, attempt: 1 },
    });
  }
  const move = (at: number, to: string, type = to, data: Record<string, unknown> = {}) => {
    events.push({ at, type, actor: officer, from: status, to, data });
    status = to;
  };
  if (t.acknowledged !== undefined) move(t.acknowledged, 'acknowledged');
  if (t.replied !== undefined)
    events.push({ at: t.replied, type: 'reply_bridged', actor: officer, data: { direction: 'to_reporter', text: 'Merci, où exactement ?' } });
  if (t.responding !== undefined) move(t.responding, 'responding');
  for (const at of t.followUps ?? []) events.push({ at, type: 'reporter_message', actor: 'reporter:PF-TEST', data: { text: 'encore' } });
  if (t.resolved) {
    move(t.resolved.at, 'resolved');
    if (t.resolved.outcomes) events.push({ at: t.resolved.at, type: 'outcome_recorded', actor: officer, data: { outcomes: t.resolved.outcomes } });
  }
  if (t.dismissed) {
    move(t.dismissed.at, 'dismissed', 'dismissed', t.dismissed.duplicateOf ? { duplicateOf: t.dismissed.duplicateOf } : {});
    if (t.dismissed.outcomes) events.push({ at: t.dismissed.at, type: 'outcome_recorded', actor: officer, data: { outcomes: t.dismissed.outcomes } });
  }
  events.sort((a, b) => a.at - b.at);
  return { events, status, level };
}

/** Writes one alert with its timeline; returns its id and reference. */
export async function insertTimeline(client: Pick<pg.Pool, 'query'>, t: Timeline): Promise<{ id: number; ref: string }> {
  const received = Date.parse(t.received);
  const at = (seconds: number | undefined) => (seconds === undefined ? null : new Date(received + seconds * 1000).toISOString());
  const created = 1;
  const { events, status, level } = eventsOf(t, created);
  const acknowledged = t.acknowledged ?? t.responding;
  const closed = t.resolved?.at ?? t.dismissed?.at;
  const ref = newAlertReference(6);
  const channel = t.channel ?? 'sms';
  const { rows } = await client.query<{ id: string }>(
    `insert into alerts (ref, status, threat_type, urgency, severity, place_id, office_id, language, text, channel, exercise, focal_point_id,
                         escalation_level, created_at, notified_at, acknowledged_at, closed_at, updated_at)
     values ($1, $2, $3, 'ongoing', $4, $5, $6, 'fr', $7, $8, $9, $10, $11, $12, $12, $13, $14, $12) returning id`,
    [
      ref,
      status,
      t.type ?? 'armed_group_presence',
      t.severity ?? 'high',
      t.placeId ?? null,
      t.office ?? 'mopti',
      t.text ?? 'Des hommes armés au marché',
      channel,
      channel === 'simulator',
      t.focalPointId ?? null,
      level,
      at(created),
      at(acknowledged),
      at(closed),
    ],
  );
  const id = Number(rows[0]!.id);
  const messages = [0, ...(t.followUps ?? [])];
  await client.query(
    `insert into inbound_messages (channel, provider_message_id, from_hash, from_enc, text, received_at, processed_at, outcome, alert_id, focal_point_id)
     select $1, $2 || '-' || n, 'hash', 'sealed', case when n = 1 then $3 else 'encore' end, r, r, case when n = 1 then 'alert' else 'follow_up' end, $4, $5
       from unnest($6::timestamptz[]) with ordinality as m(r, n)`,
    [channel, ref, t.text ?? 'Des hommes armés au marché', id, t.focalPointId ?? null, messages.map(at)],
  );
  await client.query(
    `insert into alert_events (alert_id, at, type, actor, from_status, to_status, data)
     select $1, e.at, e.type, e.actor, e.from_status, e.to_status, e.data
       from unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) with ordinality as e(at, type, actor, from_status, to_status, data, n)
      order by n`,
    [
      id,
      events.map((e) => at(e.at)),
      events.map((e) => e.type),
      events.map((e) => e.actor),
      events.map((e) => e.from ?? null),
      events.map((e) => e.to ?? null),
      events.map((e) => JSON.stringify(e.data ?? {})),
    ],
  );
  return { id, ref };
}

/** The offices the timelines name (alerts reference them). */
export async function insertOffices(client: Pick<pg.Pool, 'query'>, ids: string[]): Promise<void> {
  await client.query(
    `insert into field_offices (id, name, area, escalation_policy) select id, initcap(id) || ' Field Office', '{}', 'default' from unnest($1::text[]) as id on conflict do nothing`,
    [ids],
  );
}
