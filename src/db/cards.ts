import { and, desc, eq, gt, inArray, isNotNull, like, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from './index.js';
import { advisoryLocks } from './locks.js';
import type { OutboundRow } from './outbox.js';
import { alertEvents, outboundMessages } from './schema/index.js';

/** Alert cards as sent (outbound messages of purpose `card` or `escalation`) and their edits. */

/** Holds an alert's card edits until the transaction ends (see advisoryLocks.alertCardsSpace). */
export async function lockAlertCards(tx: Tx, alertId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${advisoryLocks.alertCardsSpace}, (${alertId}::bigint % 2147483647)::int)`);
}

/** Copies of an alert's card already sent on an editable channel (or just the copy `copyId`). */
export async function sentCardCopies(
  db: DbOrTx,
  which: { alertId: number } | { copyId: number },
  channels: readonly string[],
): Promise<OutboundRow[]> {
  return db
    .select()
    .from(outboundMessages)
    .where(
      and(
        'copyId' in which ? eq(outboundMessages.id, which.copyId) : eq(outboundMessages.alertId, which.alertId),
        inArray(outboundMessages.purpose, ['card', 'escalation']),
        inArray(outboundMessages.channel, channels),
        isNotNull(outboundMessages.providerMessageId),
      ),
    );
}

/** An alert's card edits still standing (sent or queued to be), oldest first. */
export async function cardEdits(db: DbOrTx, alertId: number): Promise<Pick<OutboundRow, 'editOf' | 'body' | 'actions'>[]> {
  return db
    .select({ editOf: outboundMessages.editOf, body: outboundMessages.body, actions: outboundMessages.actions })
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.alertId, alertId),
        eq(outboundMessages.purpose, 'card_update'),
        notInArray(outboundMessages.status, ['failed', 'superseded']),
      ),
    )
    .orderBy(outboundMessages.id);
}

/** Whether a newer edit of the same provider message exists (this one would be overwritten anyway). */
export async function hasNewerEdit(db: DbOrTx, edit: Pick<OutboundRow, 'id' | 'editOf'>): Promise<boolean> {
  if (!edit.editOf) return false;
  const [newer] = await db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.editOf, edit.editOf), gt(outboundMessages.id, edit.id)))
    .limit(1);
  return newer !== undefined;
}

/** Everyone an alert's card was written for (`officer:<id>`, `office:<id>`), once each. */
export async function cardRecipients(db: DbOrTx, alertId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ recipient: outboundMessages.recipient })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.alertId, alertId), inArray(outboundMessages.purpose, ['card', 'escalation'])));
  return rows.map((r) => r.recipient);
}

/** The alert a message sent on a channel is about (an officer replying to a card), if any. */
export async function alertOfSentMessage(db: DbOrTx, channel: string, providerMessageId: string): Promise<number | null> {
  const [row] = await db
    .select({ alertId: outboundMessages.alertId })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.channel, channel), eq(outboundMessages.providerMessageId, providerMessageId)))
    .limit(1);
  return row?.alertId ?? null;
}

/** The newest event of `type` recorded by an officer (`officer:<id>`) on the alert: who set its status, and when. */
export async function lastOfficerEvent(db: DbOrTx, alertId: number, type: string): Promise<{ actor: string; at: Date } | null> {
  const [event] = await db
    .select({ actor: alertEvents.actor, at: alertEvents.at })
    .from(alertEvents)
    .where(and(eq(alertEvents.alertId, alertId), eq(alertEvents.type, type), like(alertEvents.actor, 'officer:%')))
    .orderBy(desc(alertEvents.id))
    .limit(1);
  return event ?? null;
}
