import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from './index.js';
import { inboundMessages, outboundMessages } from './schema/index.js';

export type InboundRow = typeof inboundMessages.$inferSelect;
export type OutboundRow = typeof outboundMessages.$inferSelect;
export type OutboundInput = typeof outboundMessages.$inferInsert;

/** Persists an inbound message; null when this provider id was already received (a redelivery). */
export async function insertInbound(db: DbOrTx, values: typeof inboundMessages.$inferInsert): Promise<number | null> {
  const [row] = await db
    .insert(inboundMessages)
    .values(values)
    .onConflictDoNothing({ target: [inboundMessages.channel, inboundMessages.providerMessageId] })
    .returning({ id: inboundMessages.id });
  return row?.id ?? null;
}

export async function getInbound(db: DbOrTx, id: number): Promise<InboundRow | null> {
  const [row] = await db.select().from(inboundMessages).where(eq(inboundMessages.id, id));
  return row ?? null;
}

export async function markInboundProcessed(
  db: DbOrTx,
  id: number,
  outcome: { outcome: string; alertId?: number | null; focalPointId?: number | null },
): Promise<boolean> {
  const rows = await db
    .update(inboundMessages)
    .set({ processedAt: new Date(), outcome: outcome.outcome, alertId: outcome.alertId ?? null, focalPointId: outcome.focalPointId ?? null })
    .where(and(eq(inboundMessages.id, id), isNull(inboundMessages.processedAt)))
    .returning({ id: inboundMessages.id });
  return rows.length > 0;
}

export async function unprocessedInbound(db: DbOrTx, olderThan: Date, limit = 1000): Promise<number[]> {
  const rows = await db
    .select({ id: inboundMessages.id })
    .from(inboundMessages)
    .where(and(isNull(inboundMessages.processedAt), lt(inboundMessages.receivedAt, olderThan)))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** An outbound message waiting for its send job. */
export interface QueuedOutbound {
  id: number;
  channel: string;
}

/** Inserts outbound messages, skipping any whose dedupe key was already used; returns the new ones. */
export async function insertOutbound(db: DbOrTx, rows: OutboundInput[]): Promise<QueuedOutbound[]> {
  if (rows.length === 0) return [];
  return db.insert(outboundMessages).values(rows).onConflictDoNothing().returning({ id: outboundMessages.id, channel: outboundMessages.channel });
}

export async function getOutbound(db: DbOrTx, id: number): Promise<OutboundRow | null> {
  const [row] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, id));
  return row ?? null;
}

export async function updateOutbound(db: DbOrTx, id: number, set: Partial<OutboundInput>): Promise<void> {
  await db.update(outboundMessages).set({ ...set, updatedAt: new Date() }).where(eq(outboundMessages.id, id));
}

export async function queuedOutbound(db: DbOrTx, olderThan: Date, limit = 1000): Promise<QueuedOutbound[]> {
  return db
    .select({ id: outboundMessages.id, channel: outboundMessages.channel })
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
