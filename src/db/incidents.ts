import { and, asc, countDistinct, count, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import { openStatuses } from '../domain/lifecycle.js';
import type { Place } from '../domain/place.js';
import type { AlertRow } from './alerts.js';
import type { DbOrTx, Tx } from './index.js';
import { advisoryLocks } from './locks.js';
import { toPlace } from './places.js';
import { alerts, inboundMessages, places } from './schema/index.js';
import { statement } from './statement.js';

/** Alerts about the same incident: how many reports corroborate one (README "Alerts about the same incident"). */

/** How many of the reporters' messages tell of an alert's incident, and from how many reporters. */
export interface Corroboration {
  reports: number;
  reporters: number;
}

/** The outcomes of an inbound message that count as a report of its alert's incident. */
export const reportOutcomes = ['alert', 'follow_up', 'corroboration'] as const;

/** Reports of an alert: the message that opened it, its follow-ups and the warnings grouped under it; reporters: distinct focal points among them. */
export async function corroborationOf(db: DbOrTx, alertId: number): Promise<Corroboration> {
  const [row] = await db
    .select({ reports: count(), reporters: countDistinct(inboundMessages.focalPointId) })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.alertId, alertId), inArray(inboundMessages.outcome, [...reportOutcomes]), isNotNull(inboundMessages.focalPointId)));
  return { reports: Number(row?.reports ?? 0), reporters: Number(row?.reporters ?? 0) };
}

const lockOffices = statement(
  'lock_incident_offices',
  `select pg_advisory_xact_lock(${advisoryLocks.incidentOfficeSpace}, hashtext(o)) from (select distinct unnest($1::text[]) as o order by 1) r`,
);

/**
 * Holds these offices' areas until the transaction ends (in name order, after the reporters' locks):
 * two jobs never decide at the same moment whether warnings of one area tell of an incident already alerted.
 */
export async function lockIncidentOffices(tx: Tx, officeIds: string[]): Promise<void> {
  if (officeIds.length > 0) await lockOffices(tx, [officeIds]);
}

/** An open alert that later warnings may be grouped under, with its place. */
export interface IncidentAlert {
  alert: AlertRow;
  place: Place;
}

/** The open, classified and placed alerts of these offices created since `since`, oldest first. */
export async function recentIncidentsIn(db: DbOrTx, args: { officeIds: string[]; since: Date }): Promise<IncidentAlert[]> {
  if (args.officeIds.length === 0) return [];
  const rows = await db
    .select({ alert: alerts, place: places })
    .from(alerts)
    .innerJoin(places, eq(places.id, alerts.placeId))
    .where(
      and(
        inArray(alerts.officeId, args.officeIds),
        inArray(alerts.status, [...openStatuses]),
        gte(alerts.createdAt, args.since),
        isNotNull(alerts.threatType),
      ),
    )
    .orderBy(asc(alerts.createdAt), asc(alerts.id));
  return rows.map((r) => ({ alert: r.alert, place: toPlace(r.place) }));
}

/** For the API: each alert's linked alert's reference and its corroboration, in two statements for any number of alerts. */
export async function incidentFieldsOf(
  db: DbOrTx,
  rows: Pick<AlertRow, 'id' | 'linkedToId'>[],
): Promise<Map<number, { linkedTo: string | null; corroboration: Corroboration }>> {
  const ids = rows.map((r) => r.id);
  const linkedIds = [...new Set(rows.flatMap((r) => (r.linkedToId ? [r.linkedToId] : [])))];
  const [counts, linked] = await Promise.all([
    ids.length
      ? db
          .select({ alertId: inboundMessages.alertId, reports: count(), reporters: countDistinct(inboundMessages.focalPointId) })
          .from(inboundMessages)
          .where(
            and(
              inArray(inboundMessages.alertId, ids),
              inArray(inboundMessages.outcome, [...reportOutcomes]),
              isNotNull(inboundMessages.focalPointId),
            ),
          )
          .groupBy(inboundMessages.alertId)
      : [],
    linkedIds.length ? db.select({ id: alerts.id, ref: alerts.ref }).from(alerts).where(inArray(alerts.id, linkedIds)) : [],
  ]);
  const countOf = new Map(counts.map((c) => [Number(c.alertId), { reports: Number(c.reports), reporters: Number(c.reporters) }]));
  const refOf = new Map(linked.map((l) => [l.id, l.ref]));
  return new Map(
    rows.map((r) => [
      r.id,
      { linkedTo: r.linkedToId ? (refOf.get(r.linkedToId) ?? null) : null, corroboration: countOf.get(r.id) ?? { reports: 0, reporters: 0 } },
    ]),
  );
}

/** A report of an alert: one of the reporters' messages about it, numbered from 1 in the order received. */
export interface AlertReport {
  n: number;
  inboundId: number;
  outcome: string;
  focalPointId: number;
  text: string;
  channel: string;
  fromEnc: string;
}

/** The alert's reports in the order received (report 1 is the message that opened it). */
export async function reportsOf(db: DbOrTx, alertId: number): Promise<AlertReport[]> {
  const rows = await db
    .select({
      inboundId: inboundMessages.id,
      outcome: inboundMessages.outcome,
      focalPointId: inboundMessages.focalPointId,
      text: inboundMessages.text,
      channel: inboundMessages.channel,
      fromEnc: inboundMessages.fromEnc,
    })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.alertId, alertId), inArray(inboundMessages.outcome, [...reportOutcomes]), isNotNull(inboundMessages.focalPointId)))
    .orderBy(asc(inboundMessages.receivedAt), asc(inboundMessages.id));
  return rows.map((r, i) => ({ ...r, n: i + 1, outcome: r.outcome!, focalPointId: r.focalPointId! }));
}

/** Moves a report (a follow-up or a grouped warning) of one alert to the alert split out of it: it becomes that alert's opening message. */
export async function moveReport(tx: Tx, inboundId: number, fromAlertId: number, toAlertId: number): Promise<boolean> {
  const moved = await tx
    .update(inboundMessages)
    .set({ outcome: 'alert', alertId: toAlertId })
    .where(
      and(
        eq(inboundMessages.id, inboundId),
        eq(inboundMessages.alertId, fromAlertId),
        inArray(inboundMessages.outcome, ['follow_up', 'corroboration']),
      ),
    )
    .returning({ id: inboundMessages.id });
  return moved.length === 1;
}
