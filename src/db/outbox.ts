import { and, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from './index.js';
import { outboundMessages } from './schema/index.js';
import { batched } from './batch.js';
import { rowMapper, selectList, statement } from './statement.js';
import { memo } from '../memo.js';

export type OutboundRow = typeof outboundMessages.$inferSelect;
/** A new outbound message; everything else (status, attempts, times) starts at its default. */
export type OutboundInput = Pick<
  typeof outboundMessages.$inferInsert,
  'alertId' | 'channel' | 'recipient' | 'toEnc' | 'purpose' | 'body' | 'actions' | 'editOf' | 'dedupeKey'
>;

const toOutboundRow = rowMapper(outboundMessages);

/** An outbound message waiting for its send job. */
export interface QueuedOutbound {
  id: number;
  channel: string;
  /** `officer:<id>`, `office:<id>` or `reporter:<id>`: one chat per recipient. */
  recipient: string;
}

/**
 * Reserves the next moments messages may leave for their chats: each chat's `count` messages get
 * consecutive slots `spacingMs` apart, the first at least `spacingMs` after the chat's previous
 * reservation (and not before now). One statement for any number of chats, safe across processes.
 */
const reserveSlots = statement<{ chat: string; last_at: Date }>(
  'reserve_send_slots',
  `insert into send_slots (chat, next_at)
   select chat, now() + (count - 1) * spacing * interval '1 millisecond'
     from unnest($1::text[], $2::int[], $3::int[]) as v(chat, count, spacing)
   on conflict (chat) do update
     set next_at = greatest(send_slots.next_at + (select count * spacing from unnest($1::text[], $2::int[], $3::int[]) as w(chat, count, spacing) where w.chat = excluded.chat) * interval '1 millisecond',
                            excluded.next_at)
   returning chat, next_at as last_at`,
);

/** A chat's slots to reserve: how many messages, how far apart. */
export interface SlotRequest {
  chat: string;
  count: number;
  spacingMs: number;
}

/** The slots reserved for each chat (one date per message, in order), in one statement. */
export async function reserveSendSlots(db: DbOrTx, requests: SlotRequest[]): Promise<Map<string, Date[]>> {
  if (requests.length === 0) return new Map();
  const rows = await reserveSlots(db, [requests.map((r) => r.chat), requests.map((r) => r.count), requests.map((r) => r.spacingMs)]);
  const last = new Map(rows.map((r) => [r.chat, new Date(r.last_at).getTime()]));
  return new Map(
    requests.map((r) => [r.chat, Array.from({ length: r.count }, (_, i) => new Date(last.get(r.chat)! - (r.count - 1 - i) * r.spacingMs))]),
  );
}

// One statement for any number of rows: the columns travel as arrays.
const insertOutboundRows = statement<{ id: string; channel: string; recipient: string }>(
  'insert_outbound',
  `insert into outbound_messages (alert_id, channel, recipient, to_enc, purpose, body, actions, edit_of, dedupe_key)
   select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::text[])
   on conflict do nothing
   returning id, channel, recipient`,
);

/** Inserts outbound messages, skipping any whose dedupe key was already used; returns the new ones. */
export async function insertOutbound(db: DbOrTx, rows: OutboundInput[]): Promise<QueuedOutbound[]> {
  if (rows.length === 0) return [];
  const inserted = await insertOutboundRows(db, [
    rows.map((r) => r.alertId ?? null),
    rows.map((r) => r.channel),
    rows.map((r) => r.recipient),
    rows.map((r) => r.toEnc),
    rows.map((r) => r.purpose),
    rows.map((r) => r.body),
    rows.map((r) => (r.actions === undefined || r.actions === null ? null : JSON.stringify(r.actions))),
    rows.map((r) => r.editOf ?? null),
    rows.map((r) => r.dedupeKey ?? null),
  ]);
  return inserted.map((r) => ({ id: Number(r.id), channel: r.channel, recipient: r.recipient }));
}

export async function updateOutbound(db: DbOrTx, id: number, set: Partial<typeof outboundMessages.$inferInsert>): Promise<void> {
  await db
    .update(outboundMessages)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(outboundMessages.id, id));
}

const selectOutbounds = statement('get_outbounds', `select ${selectList(outboundMessages)} from outbound_messages where id = any($1)`);

// Several outcomes in one statement: each message still `queued` gets its outcome and, for an
// alert's message, its event; the ids of the messages changed come back.
const recordOutcomes = statement<{ id: string }>(
  'record_send_outcomes',
  `with input as (
      select * from unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::jsonb[])
          as v(id, status, provider_message_id, attempts, error, event_type, event_data)),
    changed as (
      update outbound_messages o
         set status = v.status,
             provider_message_id = coalesce(v.provider_message_id, o.provider_message_id),
             sent_at = case when v.status = 'sent' then now() else o.sent_at end,
             attempts = v.attempts,
             error = v.error,
             updated_at = now()
        from input v
       where o.id = v.id and o.status = 'queued'
   returning o.id, o.alert_id, o.recipient, o.channel, o.purpose, v.event_type, v.event_data),
    event as (
      insert into alert_events (alert_id, type, actor, data)
      select alert_id, event_type, 'system',
             jsonb_build_object('recipient', recipient, 'channel', channel, 'purpose', purpose, 'outboundId', id) || event_data
        from changed where alert_id is not null order by id)
    select id from changed`,
);

/** How a send ended, as the send step records it. */
export interface SendOutcome {
  id: number;
  status: 'sent' | 'failed';
  providerMessageId?: string;
  attempts: number;
  error?: string | null;
  /** The alert event that records it (`notification_sent`, `message_failed`, …) and its data. */
  event: { type: string; data: Record<string, unknown> };
}

/** The send step's reads and writes of outbound messages; concurrent jobs share statements. */
export interface Outbox {
  get(id: number): Promise<OutboundRow | null>;
  /**
   * Records how a send ended and its event, both or neither; only a message still `queued` is
   * changed (a duplicate send job records nothing). False when it had already left `queued`.
   */
  recordOutcome(outcome: SendOutcome): Promise<boolean>;
  /** Whether the alert has had any of these events (concurrent calls share one statement). */
  hasEvent(alertId: number, types: readonly string[]): Promise<boolean>;
}

const alertsWithEvents = statement<{ alert_id: string }>(
  'alerts_with_events',
  `select distinct alert_id from alert_events where alert_id = any($1::bigint[]) and type = any($2::text[])`,
);

export function createOutbox(db: Db): Outbox {
  const writeOutcomes = (outcomes: SendOutcome[]) =>
    recordOutcomes(db, [
      outcomes.map((o) => o.id),
      outcomes.map((o) => o.status),
      outcomes.map((o) => o.providerMessageId ?? null),
      outcomes.map((o) => o.attempts),
      outcomes.map((o) => o.error ?? null),
      outcomes.map((o) => o.event.type),
      outcomes.map((o) => JSON.stringify(o.event.data)),
    ]);
  // Concurrent outcomes share a statement. These messages were sent: if that statement fails, each
  // is written alone, so one outcome that cannot be written does not have the others sent again.
  const recordOutcome = batched(async (outcomes: SendOutcome[]): Promise<(boolean | Error)[]> => {
    const written = await writeOutcomes(outcomes).then(
      (rows) => outcomes.map(() => rows),
      (error: Error) => (outcomes.length === 1 ? [error] : Promise.all(outcomes.map((o) => writeOutcomes([o]).catch((e: Error) => e)))),
    );
    const changed = new Set(written.flatMap((w) => (w instanceof Error ? [] : w.map((r) => Number(r.id)))));
    // A message named twice in one batch (duplicate jobs) is changed once: the first call says so.
    return outcomes.map((o, i) => {
      const w = written[i]!;
      return w instanceof Error ? w : changed.has(o.id) && outcomes.findIndex((other) => other.id === o.id) === i;
    });
  });
  // One batched lookup per set of event types asked about.
  const eventLookups = memo((joined: string) =>
    batched(async (alertIds: number[]) => {
      const found = new Set((await alertsWithEvents(db, [alertIds, joined.split(',')])).map((r) => Number(r.alert_id)));
      return alertIds.map((id) => found.has(id));
    }),
  );
  return {
    get: batched(async (ids: number[]) => {
      const rows = new Map((await selectOutbounds(db, [ids])).map((raw) => [Number(raw.id), toOutboundRow(raw)]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    recordOutcome: async (outcome) => {
      const recorded = await recordOutcome(outcome);
      if (recorded instanceof Error) throw recorded;
      return recorded;
    },
    hasEvent: (alertId, types) => eventLookups(types.join(','))(alertId),
  };
}

export async function queuedOutbound(db: DbOrTx, olderThan: Date, limit = 1000): Promise<QueuedOutbound[]> {
  return db
    .select({ id: outboundMessages.id, channel: outboundMessages.channel, recipient: outboundMessages.recipient })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.status, 'queued'), lt(outboundMessages.createdAt, olderThan)))
    .limit(limit);
}

export async function outboundForAlert(db: DbOrTx, alertId: number, purposes?: string[]): Promise<OutboundRow[]> {
  return db
    .select()
    .from(outboundMessages)
    .where(and(eq(outboundMessages.alertId, alertId), purposes ? inArray(outboundMessages.purpose, purposes) : sql`true`))
    .orderBy(outboundMessages.id);
}

/**
 * Provider delivery statuses by progress. Callbacks arrive out of order, so a message's status
 * only ever moves to a higher rank; unknown statuses rank lowest and never move anything.
 */
export const deliveryStatusRank: Record<string, number> = {
  queued: 0,
  accepted: 0,
  scheduled: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  canceled: 3,
  partially_delivered: 3,
  read: 4,
};

const rankOf = (column: ReturnType<typeof sql.raw>) =>
  sql`(case ${column} ${sql.join(
    Object.entries(deliveryStatusRank).map(([status, rank]) => sql`when ${status} then ${rank}`),
    sql` `,
  )} else -1 end)`;

/** A delivery report from a provider about a message it accepted. */
export interface DeliveryStatus {
  channel: string;
  providerMessageId: string;
  status: string;
  /** The provider's error code for `undelivered`/`failed` (Twilio `ErrorCode`). */
  errorCode?: string | null;
}

/**
 * Records a provider's delivery report: moves the message's status forwards only (a late `sent`
 * after `delivered` changes nothing) and, for an alert's message, writes a `delivery_status`
 * event, in one statement. Every report is an event (`applied` says whether it moved the status).
 * A message the provider accepted but could not deliver (`undelivered`, `failed`) is also a
 * `notification_failed` (an officer's card or escalation) or `message_failed` event, as a send
 * that fails is: the timeline says the officer did not get it. Returns null when no message has
 * this provider id (yet).
 */
export async function recordDeliveryStatus(db: DbOrTx, report: DeliveryStatus): Promise<{ applied: boolean; status: string } | null> {
  const rank = deliveryStatusRank[report.status] ?? -1;
  const errorCode = report.errorCode ?? null;
  const result = await db.execute(sql`
    with target as (
      select id, alert_id, recipient, channel, purpose, status
        from outbound_messages
       where channel = ${report.channel} and provider_message_id = ${report.providerMessageId}
         for update),
    changed as (
      update outbound_messages o
         set status = ${report.status},
             error = coalesce(${errorCode}, o.error),
             updated_at = now()
        from target
       where o.id = target.id and ${rankOf(sql.raw('target.status'))} < ${rank}
   returning o.id),
    event as (
      insert into alert_events (alert_id, type, actor, data)
      select alert_id, 'delivery_status', 'system',
             jsonb_build_object('recipient', recipient, 'channel', channel, 'purpose', purpose, 'outboundId', id,
                                'status', ${report.status}::text, 'errorCode', ${errorCode}::text,
                                'previous', status, 'applied', exists (select 1 from changed))
        from target where alert_id is not null),
    lost as (
      insert into alert_events (alert_id, type, actor, data)
      select alert_id, case when purpose in ('card', 'escalation') then 'notification_failed' else 'message_failed' end, 'system',
             jsonb_build_object('recipient', recipient, 'channel', channel, 'purpose', purpose, 'outboundId', id,
                                'error', 'not delivered: ' || ${report.status}::text || coalesce(' (error ' || ${errorCode}::text || ')', ''))
        from target
       where alert_id is not null and ${report.status}::text in ('undelivered', 'failed') and exists (select 1 from changed))
    select t.status as previous, exists (select 1 from changed) as applied from target t`);
  const row = result.rows[0] as { previous: string; applied: boolean } | undefined;
  if (!row) return null;
  return { applied: row.applied, status: row.applied ? report.status : row.previous };
}

/** What was sent on a channel, newest first, after id `after` (the simulator's outbox). */
export async function sentOn(db: DbOrTx, channel: string, { after, limit }: { after: number; limit: number }): Promise<OutboundRow[]> {
  return db
    .select()
    .from(outboundMessages)
    .where(and(eq(outboundMessages.channel, channel), eq(outboundMessages.status, 'sent'), gt(outboundMessages.id, after)))
    .orderBy(desc(outboundMessages.id))
    .limit(limit);
}
