import { and, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { openStatuses } from '../domain/lifecycle.js';
import type { AlertRow } from './alerts.js';
import type { DbOrTx, Tx } from './index.js';
import { advisoryLocks } from './locks.js';
import { alerts, inboundMessages, outboundMessages } from './schema/index.js';
import { statement } from './statement.js';

/** A reporter's open alerts and what they wrote: what decides whether their next message follows up. */

// A reporter's alerts: those they opened, and those they corroborated (README "Alerts about the same incident").
const reportersWithOpen = statement<{ focal_point_id: number }>(
  'reporters_with_open_alerts',
  `select focal_point_id from alerts where focal_point_id = any($1::int[]) and status = any($2::text[])
   union
   select i.focal_point_id from inbound_messages i join alerts a on a.id = i.alert_id
    where i.outcome = 'corroboration' and i.focal_point_id = any($1::int[]) and a.status = any($2::text[])`,
);

/** Which of these reporters have an alert still open (their next message may be a follow-up). */
export async function reportersWithOpenAlerts(db: DbOrTx, focalPointIds: number[]): Promise<Set<number>> {
  if (focalPointIds.length === 0) return new Set();
  const rows = await reportersWithOpen(db, [focalPointIds, [...openStatuses]]);
  return new Set(rows.map((r) => Number(r.focal_point_id)));
}

const lockReportersOf = statement(
  'lock_reporters',
  `select pg_advisory_xact_lock(${advisoryLocks.reporterSpace}, id) from (select distinct unnest($1::int[]) as id order by 1) r`,
);

/**
 * Holds these reporters until the transaction ends (in id order, so two transactions cannot
 * deadlock): two jobs never decide at the same moment whether a reporter's message opens an alert.
 */
export async function lockReporters(tx: Tx, focalPointIds: number[]): Promise<void> {
  if (focalPointIds.length > 0) await lockReportersOf(tx, [focalPointIds]);
}

const reporterStateOf = statement<{ kind: string; id: string; newest: string | null; last_at: Date | null }>(
  'reporters_state_for_new_alerts',
  `select 'open' as kind, o.focal_point_id::bigint as id, o.id as newest,
          (select max(i.received_at) from inbound_messages i where i.alert_id = o.id and i.focal_point_id = o.focal_point_id) as last_at
     from (select distinct on (focal_point_id) focal_point_id, id from (
             select focal_point_id, id, created_at from alerts
              where focal_point_id = any($1::int[]) and status = any($2::text[])
             union all
             select i.focal_point_id, a.id, a.created_at from inbound_messages i join alerts a on a.id = i.alert_id
              where i.outcome = 'corroboration' and i.focal_point_id = any($1::int[]) and a.status = any($2::text[])) mine
            order by focal_point_id, created_at desc, id desc) o
   union all
   select 'behind', w.id, null, null from unnest($3::bigint[], $4::text[], $5::timestamptz[]) as w(id, from_hash, received_at)
    where exists (select 1 from inbound_messages i
                   where i.processed_at is null and i.received_at > now() - make_interval(secs => $6)
                     and i.from_hash = w.from_hash and i.id <> w.id
                     and (i.received_at, i.id) < (w.received_at, w.id))`,
);

/**
 * In one statement, for the transaction that writes new alerts (after lockReporters): each
 * reporter's newest open alert and when they last wrote about it (see followUpTarget), and which of the messages have an
 * earlier message from the same sender (received before, or at the same moment with a lower id)
 * still unprocessed, received in the last `withinSeconds`. Received, not inserted: two bursts'
 * INSERTs may commit in either order.
 */
export async function reportersState(
  tx: Tx,
  focalPointIds: number[],
  messages: { id: number; fromHash: string; receivedAt: Date }[],
  withinSeconds: number,
): Promise<{ newestOpen: Map<number, { id: number; lastMessageAt: Date | null }>; waitingBehind: Set<number> }> {
  const rows = await reporterStateOf(tx, [
    focalPointIds,
    [...openStatuses],
    messages.map((m) => m.id),
    messages.map((m) => m.fromHash),
    messages.map((m) => m.receivedAt.toISOString()),
    withinSeconds,
  ]);
  return {
    newestOpen: new Map(
      rows
        .filter((r) => r.kind === 'open')
        .map((r) => [Number(r.id), { id: Number(r.newest), lastMessageAt: r.last_at ? new Date(r.last_at) : null }]),
    ),
    waitingBehind: new Set(rows.filter((r) => r.kind === 'behind').map((r) => Number(r.id))),
  };
}

/** A reporter's open alerts (those they opened or corroborated), newest first (at most `limit`). */
export async function openAlertsOfReporter(db: DbOrTx, focalPointId: number, limit = 10): Promise<AlertRow[]> {
  const corroborated = db
    .select({ id: inboundMessages.alertId })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.focalPointId, focalPointId), eq(inboundMessages.outcome, 'corroboration')));
  return db
    .select()
    .from(alerts)
    .where(and(or(eq(alerts.focalPointId, focalPointId), inArray(alerts.id, corroborated)), inArray(alerts.status, [...openStatuses])))
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(limit);
}

/** When the reporter last wrote about an alert (null if never). */
export async function lastMessageAbout(db: DbOrTx, alertId: number, focalPointId: number): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date>`max(${inboundMessages.receivedAt})` })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.alertId, alertId), eq(inboundMessages.focalPointId, focalPointId)));
  return row?.at ? new Date(row.at) : null;
}

/** Whether an officer's question about the alert was sent to its reporter after `since`. */
export async function questionAskedSince(db: DbOrTx, alertId: number, since: Date): Promise<boolean> {
  const [question] = await db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.alertId, alertId), eq(outboundMessages.purpose, 'question'), gt(outboundMessages.createdAt, since)))
    .limit(1);
  return question !== undefined;
}
