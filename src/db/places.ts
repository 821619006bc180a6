import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from './index.js';
import { advisoryLocks } from './locks.js';
import { places, settings } from './schema/index.js';
import { rowMapper, selectList, statement } from './statement.js';
import type { Place } from '../domain/place.js';

export type PlaceRow = typeof places.$inferSelect;
export type PlaceRowInput = Omit<typeof places.$inferInsert, 'id' | 'source'>;

/**
 * Replaces every place of one gazetteer source in one transaction; returns the count inserted.
 * Processes starting together take turns (an advisory lock per source); one that finds the same
 * fingerprint already imported by another writes nothing.
 */
export async function replacePlaces(
  db: Db,
  source: string,
  rows: PlaceRowInput[],
  options: { fingerprint?: string; force?: boolean; onBatch?: (written: number) => void } = {},
): Promise<number | 'already imported'> {
  const { fingerprint, onBatch } = options;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${advisoryLocks.gazetteerSource(source)})`);
    if (!options.force && fingerprint !== undefined && (await getSetting<string>(tx, `gazetteer:${source}`)) === fingerprint)
      return 'already imported';
    // Alerts keep pointing at old ids: re-imported places get new ids, so detach rather than delete blindly.
    await tx.execute(sql`update alerts set place_id = null where place_id in (select id from places where source = ${source})`);
    await tx.execute(sql`update focal_points set place_id = null where place_id in (select id from places where source = ${source})`);
    await tx.delete(places).where(eq(places.source, source));
    for (let i = 0; i < rows.length; i += 2_000) {
      await tx.insert(places).values(rows.slice(i, i + 2_000).map((r) => ({ ...r, source })));
      onBatch?.(Math.min(rows.length, i + 2_000));
    }
    if (fingerprint !== undefined) await setSetting(tx, `gazetteer:${source}`, fingerprint);
    return rows.length;
  });
}

export async function allPlaces(db: DbOrTx): Promise<Place[]> {
  const rows = await db.select().from(places);
  return rows.map(toPlace);
}

/** A gazetteer entry as stored (the inverse of `toPlace`; missing admin codes stored as ''). */
export function toPlaceRow(place: Omit<Place, 'id'>): PlaceRowInput {
  return {
    name: place.name,
    altNames: place.altNames,
    admin1: place.admin1,
    admin2: place.admin2,
    admin3: place.admin3,
    lat: place.lat,
    lon: place.lon,
    code: place.code ?? null,
    level: place.level ?? null,
    adminCodes: place.adminCodes ? place.adminCodes.map((c) => c ?? '') : null,
  };
}

export function toPlace(row: PlaceRow): Place {
  return {
    id: row.id,
    name: row.name,
    altNames: row.altNames,
    admin1: row.admin1,
    admin2: row.admin2,
    admin3: row.admin3,
    lat: row.lat,
    lon: row.lon,
    code: row.code ?? undefined,
    level: row.level ?? undefined,
    adminCodes: row.adminCodes ? (row.adminCodes.map((c) => c || null) as [string | null, string | null, string | null]) : undefined,
    source: row.source,
  };
}

const toPlaceRowFromDb = rowMapper(places);
const placeById = statement('get_place', `select ${selectList(places)} from places where id = $1`);

export async function getPlace(db: DbOrTx, id: number): Promise<PlaceRow | null> {
  const [row] = await placeById(db, [id]);
  return row ? toPlaceRowFromDb(row) : null;
}

/** The place a registered focal point names in the deployment file (exact name, smallest unit first). */
export async function placeByName(db: DbOrTx, name: string): Promise<PlaceRow | null> {
  const [row] = await db
    .select()
    .from(places)
    .where(sql`lower(${places.name}) = lower(${name}) or lower(${name}) = any(select lower(a) from unnest(${places.altNames}) a)`)
    .orderBy(sql`${places.level} desc nulls first`)
    .limit(1);
  return row ?? null;
}

export async function getSetting<T>(db: DbOrTx, key: string): Promise<T | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return (row?.value as T) ?? null;
}

export async function setSetting(db: DbOrTx, key: string, value: unknown): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}

/**
 * The administrative units one level below an office's area (the cercles of its regions, the
 * arrondissements of its cercles), by name, at most `limit`: the places an officer may pick from.
 */
export async function unitsWithin(db: DbOrTx, area: { admin1?: string[]; admin2?: string[] }, limit: number): Promise<PlaceRow[]> {
  const lower = (names: string[] | undefined) => (names ?? []).map((n) => n.toLowerCase());
  const [regions, districts] = [lower(area.admin1), lower(area.admin2)];
  if (regions.length === 0 && districts.length === 0) return [];
  return db
    .select()
    .from(places)
    .where(
      or(
        regions.length ? and(eq(places.level, 2), inArray(sql`lower(${places.admin1})`, regions)) : undefined,
        districts.length ? and(eq(places.level, 3), inArray(sql`lower(${places.admin2})`, districts)) : undefined,
      ),
    )
    .orderBy(places.level, places.name)
    .limit(limit);
}
