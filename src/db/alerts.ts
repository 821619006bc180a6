import { and, desc, eq, getTableColumns, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { AlertStatus } from '../domain/taxonomy.js';
import { newAlertReference, statusesLeadingTo } from '../domain/lifecycle.js';
import type { DbOrTx, Tx } from './index.js';
import { alertEvents, alerts, places } from './schema/index.js';

export type AlertRow = typeof alerts.$inferSelect;
export type AlertEventRow = typeof alertEvents.$inferSelect;

/** One row of the timeline, as recorded with a change. */
export interface AlertEventInput {
  type: string;
  /** `system`, `officer:<id>` or `reporter:<pseudonym>`. */
  actor: string;
  from?: AlertStatus | null;
  to?: AlertStatus | null;
  data?: Record<string, unknown>;
}

export async function recordEvent(tx: DbOrTx, alertId: number, event: AlertEventInput): Promise<void> {
  await tx.insert(alertEvents).values({
    alertId,
    type: event.type,
    actor: event.actor,
    fromStatus: event.from ?? null,
    toStatus: event.to ?? null,
    data: event.data ?? {},
  });
}

/** Creates an alert with a fresh reference and its `created` event (inside the caller's transaction). */
export async function createAlert(
  tx: Tx,
  values: { text: string; channel: string; focalPointId: number | null; language: string | null; actor: string },
): Promise<AlertRow> {
  for (let attempt = 0; ; attempt++) {
    const ref = newAlertReference(attempt < 5 ? 5 : 6);
    const [row] = await tx
      .insert(alerts)
      .values({ ref, text: values.text, channel: values.channel, focalPointId: values.focalPointId, language: values.language })
      .onConflictDoNothing({ target: alerts.ref })
      .returning();
    if (!row) continue; // reference already taken: draw another
    await recordEvent(tx, row.id, { type: 'created', actor: values.actor, to: 'new', data: { channel: values.channel } });
    return row;
  }
}

/**
 * Moves an alert to `to` if its current status allows it, writing the change and its event
 * in the caller's transaction. Returns null when the alert had already moved on (someone else won).
 */
export async function transitionAlert(
  tx: Tx,
  alertId: number,
  to: AlertStatus,
  event: Omit<AlertEventInput, 'from' | 'to'>,
  set: Partial<typeof alerts.$inferInsert> = {},
  /** The row as already locked by the caller in this transaction (saves a round trip). */
  locked?: AlertRow,
): Promise<{ alert: AlertRow; from: AlertStatus } | null> {
  const current = locked ?? (await lockAlert(tx, alertId));
  if (!current || !statusesLeadingTo(to).includes(current.status as AlertStatus)) return null;
  const from = current.status as AlertStatus;
  const [alert] = await tx
    .update(alerts)
    .set({ ...set, status: to, updatedAt: new Date() })
    .where(eq(alerts.id, alertId))
    .returning();
  await recordEvent(tx, alertId, { ...event, from, to });
  return { alert: alert!, from };
}

/**
 * Changes fields other than the status and records the event, in one statement (both or neither
 * are written). Returns false when there is no such alert.
 */
export async function updateAlert(
  db: DbOrTx,
  alertId: number,
  set: Partial<typeof alerts.$inferInsert>,
  event: AlertEventInput,
): Promise<boolean> {
  const columns = getTableColumns(alerts);
  const assignments = Object.entries({ ...set, updatedAt: new Date() })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const column = columns[key as keyof typeof columns];
      return sql`${sql.identifier(column.name)} = ${value === null ? null : column.mapToDriverValue(value)}`;
    });
  const result = await db.execute(sql`
    with changed as (update alerts set ${sql.join(assignments, sql`, `)} where id = ${alertId} returning id)
    insert into alert_events (alert_id, type, actor, from_status, to_status, data)
    select id, ${event.type}, ${event.actor}, ${event.from ?? null}, ${event.to ?? null}, ${JSON.stringify(event.data ?? {})}::jsonb from changed
    returning alert_id`);
  return result.rows.length > 0;
}

export async function getAlert(db: DbOrTx, alertId: number): Promise<AlertRow | null> {
  const [row] = await db.select().from(alerts).where(eq(alerts.id, alertId));
  return row ?? null;
}

/** Locks the alert row for the rest of the transaction (serialises workers acting on one alert). */
export async function lockAlert(tx: Tx, alertId: number): Promise<AlertRow | null> {
  const [row] = await tx.select().from(alerts).where(eq(alerts.id, alertId)).for('update');
  return row ?? null;
}

export async function getAlertByRef(db: DbOrTx, ref: string): Promise<AlertRow | null> {
  const [row] = await db.select().from(alerts).where(eq(alerts.ref, ref));
  return row ?? null;
}

export interface AlertFilter {
  status?: AlertStatus[];
  officeId?: string;
  since?: Date;
  limit: number;
}

/** Alerts newest first, joined with their place. */
export async function listAlerts(db: DbOrTx, filter: AlertFilter) {
  const conditions = [
    filter.status?.length ? inArray(alerts.status, filter.status) : undefined,
    filter.officeId ? eq(alerts.officeId, filter.officeId) : undefined,
    filter.since ? gte(alerts.createdAt, filter.since) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select({ alert: alerts, place: places })
    .from(alerts)
    .leftJoin(places, eq(places.id, alerts.placeId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(filter.limit);
}

export async function alertTimeline(db: DbOrTx, alertId: number): Promise<AlertEventRow[]> {
  return db.select().from(alertEvents).where(eq(alertEvents.alertId, alertId)).orderBy(alertEvents.id);
}

/** Unacknowledged alerts whose acknowledge deadline falls before `until` (past deadlines included). */
export async function alertsDueBefore(db: DbOrTx, until: Date, limit = 5_000) {
  return db
    .select({ id: alerts.id, timerSeq: alerts.timerSeq, ackDeadline: alerts.ackDeadline })
    .from(alerts)
    .where(and(eq(alerts.status, 'notified'), isNotNull(alerts.ackDeadline), lt(alerts.ackDeadline, until)))
    .limit(limit);
}

/** Alerts still `new` after `olderThanMs`: their classify/route/notify step was lost. */
export async function stalledNewAlerts(db: DbOrTx, now: Date, olderThanMs: number, limit = 1000) {
  return db
    .select({ id: alerts.id, classifiedAt: alerts.classifiedAt, routedAt: alerts.routedAt })
    .from(alerts)
    .where(and(eq(alerts.status, 'new'), lt(alerts.updatedAt, new Date(now.getTime() - olderThanMs))))
    .limit(limit);
}

/** Counts by status, for /metrics. */
export async function countAlertsByStatus(db: DbOrTx): Promise<Record<string, number>> {
  const rows = await db.select({ status: alerts.status, n: sql<number>`count(*)::int` }).from(alerts).groupBy(alerts.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
