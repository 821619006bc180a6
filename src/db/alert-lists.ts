import { and, desc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { AlertStatus } from '../domain/taxonomy.js';
import type { AlertEventRow } from './alerts.js';
import type { DbOrTx } from './index.js';
import { alertEvents, alerts, places } from './schema/index.js';

/** Alerts as lists: the API's, the reconciler's and the metrics'. */

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
  const rows = await db
    .select({ status: alerts.status, n: sql<number>`count(*)::int` })
    .from(alerts)
    .groupBy(alerts.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Escalations to a further level since the database was created, for /metrics. */
export async function countEscalations(db: DbOrTx): Promise<number> {
  const result = await db.execute<{ n: number }>(sql`select count(*)::int as n from alert_events where type = 'escalated'`);
  return result.rows[0]?.n ?? 0;
}

/**
 * Time from intake to the first acknowledgement, as a histogram for /metrics: `count`, `sum`
 * (seconds) and `le_<b>` for each bucket bound `b` (seconds).
 */
export async function acknowledgeLatency(db: DbOrTx, buckets: readonly number[]): Promise<Record<string, number>> {
  const result = await db.execute<Record<string, number>>(
    sql.raw(`select count(*)::int as count, coalesce(sum(extract(epoch from acknowledged_at - created_at)), 0)::float8 as sum,
      ${buckets.map((b) => `count(*) filter (where acknowledged_at - created_at <= interval '${Number(b)} seconds')::int as "le_${Number(b)}"`).join(', ')}
      from alerts where acknowledged_at is not null`),
  );
  return result.rows[0] ?? {};
}

/** Whether the database answers (readiness). */
export async function pingDatabase(db: DbOrTx): Promise<void> {
  await db.execute(sql`select 1`);
}
