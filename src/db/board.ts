import { aliasedTable, and, asc, eq, gte, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from './index.js';
import { alerts, fieldOffices, officers, places } from './schema/index.js';

/** What the operations room's board shows: open alerts, narrowed by the query string. */
export interface BoardFilter {
  /** The office whose alerts are shown; undefined = every office. */
  officeId?: string;
  /** Alerts that tell of this type, as their main type or another. */
  threatType?: string;
  status: readonly string[];
  /** Only alerts created since. */
  since?: Date;
  /** Default 500. */
  limit?: number;
}

/** One line of the board. */
export interface BoardAlert {
  ref: string;
  status: string;
  threatType: string | null;
  /** The other types the warning tells of, most severe first. */
  otherThreatTypes: string[];
  severity: string | null;
  officeId: string | null;
  officeName: string | null;
  place: string | null;
  admin1: string | null;
  lat: number | null;
  lon: number | null;
  createdAt: Date;
  ackDeadline: Date | null;
  escalationLevel: number;
  /** The officer who acknowledged it (holds it), if any. */
  holder: string | null;
}

const holder = aliasedTable(officers, 'holder');

/**
 * Alerts most urgent first: those with an acknowledge deadline by deadline (past ones first),
 * then the acknowledged ones, oldest first.
 */
export async function boardAlerts(db: DbOrTx, filter: BoardFilter): Promise<BoardAlert[]> {
  const conditions = [
    inArray(alerts.status, [...filter.status]),
    filter.officeId ? eq(alerts.officeId, filter.officeId) : undefined,
    // A type is on an alert as its main type or as one of the others it tells of.
    filter.threatType
      ? or(eq(alerts.threatType, filter.threatType), sql`${alerts.otherThreatTypes} @> ${JSON.stringify([filter.threatType])}::jsonb`)
      : undefined,
    filter.since ? gte(alerts.createdAt, filter.since) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select({
      ref: alerts.ref,
      status: alerts.status,
      threatType: alerts.threatType,
      otherThreatTypes: alerts.otherThreatTypes,
      severity: alerts.severity,
      officeId: alerts.officeId,
      officeName: fieldOffices.name,
      place: places.name,
      admin1: places.admin1,
      lat: places.lat,
      lon: places.lon,
      createdAt: alerts.createdAt,
      ackDeadline: alerts.ackDeadline,
      escalationLevel: alerts.escalationLevel,
      holder: holder.name,
    })
    .from(alerts)
    .leftJoin(places, eq(places.id, alerts.placeId))
    .leftJoin(fieldOffices, eq(fieldOffices.id, alerts.officeId))
    .leftJoin(holder, eq(holder.id, alerts.acknowledgedBy))
    .where(and(...conditions))
    .orderBy(sql`${alerts.ackDeadline} asc nulls last`, asc(alerts.createdAt))
    .limit(filter.limit ?? 500);
}

/** Alerts with a known place created since a moment (the map), optionally of one office. */
export async function placedAlertsSince(db: DbOrTx, params: { since: Date; officeId?: string; limit?: number }): Promise<BoardAlert[]> {
  const rows = await boardAlerts(db, {
    status: ['new', 'notified', 'acknowledged', 'responding', 'resolved', 'dismissed'],
    officeId: params.officeId,
    since: params.since,
    limit: params.limit ?? 2_000,
  });
  return rows.filter((r) => r.lat !== null && r.lon !== null);
}

/** Office ids and names, for filters and legends. */
export async function officeNames(db: DbOrTx): Promise<{ id: string; name: string; area: { admin1?: string[]; admin2?: string[] } }[]> {
  return db
    .select({ id: fieldOffices.id, name: fieldOffices.name, area: fieldOffices.area })
    .from(fieldOffices)
    .where(eq(fieldOffices.active, true))
    .orderBy(asc(fieldOffices.name));
}
