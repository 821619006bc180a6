import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from './index.js';
import { advisoryLocks } from './locks.js';
import { places, settings } from './schema/index.js';
import { rowMapper, selectList, statement } from './statement.js';
import type { Place } from '../domain/place.js';

export type PlaceRow = typeof places.$inferSelect;
export type PlaceRowInput = Omit<typeof places.$inferInsert, 'id' | 'source'>;

/**
 * A place's identity within its source, to recognise it in a new version of the file: its code when
 * the gazetteer has codes (P-codes), else its name, administrative units and level.
 */
const placeKey = (table: string) =>
  sql.raw(
    `case when ${table}.code is not null then 'c:' || ${table}.code else 'n:' || ${table}.name || '|' || coalesce(${table}.admin1, '') || '|' || coalesce(${table}.admin2, '') || '|' || coalesce(${table}.admin3, '') || '|' || coalesce(${table}.level::text, '') end`,
  );

/**
 * Replaces every place of one gazetteer source in one transaction; returns the count of places in
 * the new version. Processes starting together take turns (an advisory lock per source); one that
 * finds the same fingerprint already imported by another writes nothing.
 *
 * A place that is still in the file (the same code, or the same name in the same units) keeps its
 * id and takes the file's values (a corrected position, new alternative names): the alerts and
 * focal points placed there stay placed. A place no longer in the file is deleted; an alert placed
 * there loses its place with a `place_removed` event on its timeline (what the place was, and the
 * file), in the same statement; a focal point's registered place is cleared.
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
    await tx.execute(sql`create temp table incoming_places (
      n int, name text, alt_names text[], admin1 text, admin2 text, admin3 text, code text, admin_codes text[], level int, lat float8, lon float8
    ) on commit drop`);
    for (let i = 0; i < rows.length; i += 2_000) {
      const batch = rows.slice(i, i + 2_000).map((r, j) => ({
        n: i + j,
        name: r.name,
        alt_names: r.altNames ?? [],
        admin1: r.admin1 ?? null,
        admin2: r.admin2 ?? null,
        admin3: r.admin3 ?? null,
        code: r.code ?? null,
        admin_codes: r.adminCodes ?? null,
        level: r.level ?? null,
        lat: r.lat ?? null,
        lon: r.lon ?? null,
      }));
      await tx.execute(sql`insert into incoming_places select * from json_populate_recordset(null::incoming_places, ${JSON.stringify(batch)}::json)`);
      onBatch?.(Math.min(rows.length, i + 2_000));
    }
    // Each old place matched to the new row of the same key (the k-th of a key to the k-th).
    await tx.execute(sql`create temp table matched_places on commit drop as
      select o.id, i.n from
        (select id, ${placeKey('p')} as key, row_number() over (partition by ${placeKey('p')} order by id) as k from places p where source = ${source}) o
        join (select n, ${placeKey('i')} as key, row_number() over (partition by ${placeKey('i')} order by n) as k from incoming_places i) i
        using (key, k)`);
    await tx.execute(sql`update places p
      set name = i.name, alt_names = i.alt_names, admin1 = i.admin1, admin2 = i.admin2, admin3 = i.admin3, code = i.code,
          admin_codes = i.admin_codes, level = i.level, lat = i.lat, lon = i.lon
      from matched_places m join incoming_places i on i.n = m.n
      where p.id = m.id`);
    // Places no longer in the file: alerts lose them, each with its event.
    await tx.execute(sql`create temp table removed_places on commit drop as
      select id, name from places where source = ${source} and id not in (select id from matched_places)`);
    await tx.execute(sql`with detached as (
        update alerts a set place_id = null, updated_at = now() from removed_places r where a.place_id = r.id
        returning a.id as alert_id, r.id as place_id, r.name as place_name
      )
      insert into alert_events (alert_id, type, actor, data)
      select alert_id, 'place_removed', 'system', jsonb_build_object('place', jsonb_build_object('id', place_id, 'name', place_name), 'source', ${source}::text)
        from detached`);
    await tx.execute(sql`update focal_points set place_id = null where place_id in (select id from removed_places)`);
    await tx.execute(sql`delete from places where id in (select id from removed_places)`);
    await tx.execute(sql`insert into places (source, name, alt_names, admin1, admin2, admin3, code, admin_codes, level, lat, lon)
      select ${source}, name, alt_names, admin1, admin2, admin3, code, admin_codes, level, lat, lon
        from incoming_places where n not in (select n from matched_places) order by n`);
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
