import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Db, DbOrTx } from './index.js';
import type { FocalPointRow } from './focal-points.js';
import { focalPoints, inboundMessages } from './schema/index.js';
import { rowMapper, selectList, statement } from './statement.js';

/** Messages received: written by the intake before the provider is answered, read and marked by the inbound step. */

export type InboundRow = typeof inboundMessages.$inferSelect;

const toInboundRow = rowMapper(inboundMessages);

/** What a webhook persists before it answers the provider. */
export interface InboundInput {
  channel: string;
  providerMessageId: string;
  fromHash: string;
  fromEnc: string;
  text: string;
  meta: Record<string, unknown>;
  receivedAt: Date;
}

const insertInboundRows = statement<{ id: string; channel: string; provider_message_id: string }>(
  'insert_inbound',
  `insert into inbound_messages (channel, provider_message_id, from_hash, from_enc, text, meta, received_at)
   select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[])
   on conflict (channel, provider_message_id) do nothing
   returning id, channel, provider_message_id`,
);

/**
 * Persists inbound messages in one statement (the webhooks' hot path: concurrent requests share
 * it, see src/workflows/alerts/intake.ts). Returns each message's id in the order given, or null for a
 * provider id already received (a redelivery, or the same id twice in the batch: the first wins).
 */
export async function insertInbounds(db: Db, batch: InboundInput[]): Promise<(number | null)[]> {
  if (batch.length === 0) return [];
  const rows = await insertInboundRows(db, [
    batch.map((m) => m.channel),
    batch.map((m) => m.providerMessageId),
    batch.map((m) => m.fromHash),
    batch.map((m) => m.fromEnc),
    batch.map((m) => m.text),
    batch.map((m) => JSON.stringify(m.meta)),
    batch.map((m) => m.receivedAt.toISOString()),
  ]);
  const ids = new Map(rows.map((r) => [`${r.channel}\n${r.provider_message_id}`, Number(r.id)]));
  return batch.map((m) => {
    const key = `${m.channel}\n${m.providerMessageId}`;
    const id = ids.get(key) ?? null;
    ids.delete(key); // a second message with the same provider id is a duplicate
    return id;
  });
}

const selectInboundsWithSenders = statement(
  'get_inbounds_with_senders',
  `select ${selectList(inboundMessages, 'i')}, ${selectList(focalPoints, 'f', 'sender.')}
     from inbound_messages i
     left join focal_points f on f.phone_hash = i.from_hash or f.telegram_hash = i.from_hash
    where i.id = any($1)
    order by i.id`,
);
const toSenderRow = rowMapper(focalPoints, 'sender.');

/** A message received and the focal point registered under its sender's address (null for a first-time sender or an officer). */
export interface InboundWithSender {
  message: InboundRow;
  sender: FocalPointRow | null;
}

/** Messages by id, oldest first, each with its sender, in one round trip; ids not found are left out. */
export async function getInboundsWithSenders(db: DbOrTx, ids: number[]): Promise<InboundWithSender[]> {
  const rows = await selectInboundsWithSenders(db, [ids]);
  return rows.map((row) => ({ message: toInboundRow(row), sender: row['sender.id'] === null ? null : toSenderRow(row) }));
}

const markProcessed = statement<{ id: string }>(
  'mark_inbounds_processed',
  `update inbound_messages i
      set processed_at = now(), outcome = v.outcome, alert_id = v.alert_id, focal_point_id = v.focal_point_id
     from unnest($1::bigint[], $2::text[], $3::bigint[], $4::int[]) as v(id, outcome, alert_id, focal_point_id)
    where i.id = v.id and i.processed_at is null
    returning i.id`,
);

/** What became of a message. */
export interface InboundOutcome {
  id: number;
  outcome: string;
  alertId?: number | null;
  focalPointId?: number | null;
}

/** Records what became of messages; returns the ids changed (a message already processed, by a concurrent run, is not). */
export async function markInboundsProcessed(db: DbOrTx, outcomes: InboundOutcome[]): Promise<Set<number>> {
  if (outcomes.length === 0) return new Set();
  const rows = await markProcessed(db, [
    outcomes.map((o) => o.id),
    outcomes.map((o) => o.outcome),
    outcomes.map((o) => o.alertId ?? null),
    outcomes.map((o) => o.focalPointId ?? null),
  ]);
  return new Set(rows.map((r) => Number(r.id)));
}

/** Records what became of a message; false if it was already processed (by a concurrent run). */
export async function markInboundProcessed(db: DbOrTx, id: number, outcome: Omit<InboundOutcome, 'id'>): Promise<boolean> {
  return (await markInboundsProcessed(db, [{ id, ...outcome }])).has(id);
}

export async function unprocessedInbound(db: DbOrTx, olderThan: Date, limit = 1000): Promise<number[]> {
  const rows = await db
    .select({ id: inboundMessages.id })
    .from(inboundMessages)
    .where(and(isNull(inboundMessages.processedAt), lt(inboundMessages.receivedAt, olderThan)))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Parks a message no attempt can process: marked processed (so no job and no reconciler takes it
 * again) with outcome `unprocessable` and the reason. False if it was already processed or parked.
 */
export async function parkInbound(db: DbOrTx, id: number, reason: string): Promise<boolean> {
  const rows = await db
    .update(inboundMessages)
    .set({ processedAt: new Date(), outcome: 'unprocessable', unprocessableReason: reason.slice(0, 1000) })
    .where(and(eq(inboundMessages.id, id), isNull(inboundMessages.processedAt)))
    .returning({ id: inboundMessages.id });
  return rows.length > 0;
}

/**
 * Takes a parked message out of the car park (an admin's retry): unprocessed again, its reason
 * cleared. False if it was not parked.
 */
export async function unparkInbound(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db
    .update(inboundMessages)
    .set({ processedAt: null, outcome: null, unprocessableReason: null })
    .where(and(eq(inboundMessages.id, id), eq(inboundMessages.outcome, 'unprocessable')))
    .returning({ id: inboundMessages.id });
  return rows.length > 0;
}

/** A parked message as admins see it: never its sender, nor its text. */
export interface UnprocessableInbound {
  id: number;
  channel: string;
  receivedAt: Date;
  parkedAt: Date;
  reason: string;
}

/** The parked messages, newest first. */
export async function unprocessableInbound(db: DbOrTx, limit = 1000): Promise<UnprocessableInbound[]> {
  const rows = await db
    .select({
      id: inboundMessages.id,
      channel: inboundMessages.channel,
      receivedAt: inboundMessages.receivedAt,
      parkedAt: inboundMessages.processedAt,
      reason: inboundMessages.unprocessableReason,
    })
    .from(inboundMessages)
    .where(eq(inboundMessages.outcome, 'unprocessable'))
    .orderBy(desc(inboundMessages.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, parkedAt: r.parkedAt!, reason: r.reason ?? '' }));
}

const unsealedMeta = statement<{ id: string; meta: Record<string, unknown> }>(
  'unsealed_inbound_meta',
  `select id, meta from inbound_messages where meta ? 'update' order by id limit $1`,
);
const replaceMeta = statement<{ id: string }>(
  'replace_inbound_meta',
  `update inbound_messages i set meta = v.meta
     from unnest($1::bigint[], $2::jsonb[]) as v(id, meta)
    where i.id = v.id and i.meta ? 'update'
    returning i.id`,
);

/**
 * Seals, in batches, the meta of messages stored before it was sealed (a Telegram update in the
 * clear, with the sender's id and name): `seal` gives each its sealed form. Returns how many were sealed.
 */
export async function sealStoredInboundMeta(
  db: Db,
  seal: (meta: Record<string, unknown>) => Record<string, unknown>,
  batchSize = 500,
): Promise<number> {
  let sealed = 0;
  for (;;) {
    const rows = await unsealedMeta(db, [batchSize]);
    if (rows.length === 0) return sealed;
    sealed += (await replaceMeta(db, [rows.map((r) => r.id), rows.map((r) => JSON.stringify(seal(r.meta)))])).length;
  }
}
