import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/index.js';
import { importGazetteer } from '../../src/gazetteer/import.js';
import { freshDatabase } from '../helpers/database.js';

const mali = fileURLToPath(new URL('../../deploy/gazetteer/mali.csv', import.meta.url));

describe('importing a gazetteer into PostgreSQL', () => {
  let dropDb: () => Promise<void>;
  let database: Database;
  beforeAll(async () => {
    const db = await freshDatabase();
    dropDb = db.drop;
    database = connectDatabase(db.url);
  });
  afterAll(async () => {
    await database?.close();
    await dropDb?.();
  });

  const count = async () => Number((await database.db.execute<{ n: number }>(sql`select count(*)::int as n from places`)).rows[0]!.n);

  it('imports once when several processes start at the same moment, and skips an unchanged file', async () => {
    const results = await Promise.all([importGazetteer(database.db, mali), importGazetteer(database.db, mali), importGazetteer(database.db, mali)]);
    expect(results.filter((r) => !r.skipped)).toHaveLength(1);
    expect(results.find((r) => !r.skipped)!.placesAdded).toBe(654);
    expect(await count()).toBe(654);
    expect((await importGazetteer(database.db, mali)).skipped).toBe(true);
    // A forced re-import replaces the places instead of adding them again.
    expect((await importGazetteer(database.db, mali, { force: true })).placesAdded).toBe(654);
    expect(await count()).toBe(654);
  });

  it('a new version of the file keeps the places still in it (ids, alerts and focal points) and says on an alert’s timeline when its place went', async () => {
    await importGazetteer(database.db, mali, { force: true });
    const idOf = async (code: string) =>
      (await database.db.execute<{ id: number }>(sql`select id from places where code = ${code}`)).rows[0]?.id ?? null;
    const [bankass, kaniBonzon] = [await idOf('ML-A190301'), await idOf('ML-A190302')];
    const alert = async (ref: string, placeId: number | null) =>
      (
        await database.db.execute<{ id: number }>(
          sql`insert into alerts (ref, text, channel, place_id) values (${ref}, 'Hommes armés', 'sms', ${placeId}) returning id`,
        )
      ).rows[0]!.id;
    const [atBankass, atKaniBonzon] = [await alert('GZ001', bankass), await alert('GZ002', kaniBonzon)];
    await database.db.execute(sql`insert into focal_points (pseudonym, place_id) values ('PF-GZ01', ${bankass})`);

    // The next version: Bankass moved a little, Kani Bonzon gone, a new arrondissement.
    const lines = (await readFile(mali, 'utf8')).split('\n');
    const next = lines
      .filter((l) => !l.startsWith('ML-A190302,'))
      .map((l) => (l.startsWith('ML-A190301,') ? l.replace(',14.078,-3.516,', ',14.1,-3.52,') : l));
    next.splice(
      3,
      0,
      'ML-A999901,3,Arrondissement,Arrondissement,Nouveau Village,Nouveau Village,nouveau-village,ML-A999901,,ML1903,Bankass,Bankass,,,,1,,14.2,-3.6,',
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-gazetteer-'));
    await writeFile(path.join(dir, 'mali.csv'), next.join('\n'));
    expect((await importGazetteer(database.db, path.join(dir, 'mali.csv'))).placesAdded).toBe(654);

    expect(await count()).toBe(654);
    expect(await idOf('ML-A190301')).toBe(bankass);
    expect(await idOf('ML-A190302')).toBeNull();
    expect(await idOf('ML-A999901')).not.toBeNull();
    const placeOf = async (table: 'alerts' | 'focal_points', id: number | string) =>
      (
        await database.db.execute<{ place_id: number | null }>(
          sql`select place_id from ${sql.identifier(table)} where ${sql.identifier(table === 'alerts' ? 'id' : 'pseudonym')} = ${id}`,
        )
      ).rows[0]!.place_id;
    expect(await placeOf('alerts', atBankass)).toBe(bankass);
    expect(await placeOf('focal_points', 'PF-GZ01')).toBe(bankass);
    expect((await database.db.execute<{ lat: number }>(sql`select lat from places where id = ${bankass}`)).rows[0]!.lat).toBe(14.1);
    expect(await placeOf('alerts', atKaniBonzon)).toBeNull();
    const events = await database.db.execute<{ alert_id: number; type: string; actor: string; data: unknown }>(
      sql`select alert_id, type, actor, data from alert_events where type = 'place_removed'`,
    );
    expect(events.rows).toEqual([
      {
        alert_id: atKaniBonzon,
        type: 'place_removed',
        actor: 'system',
        data: { place: { id: kaniBonzon, name: 'Kani Bonzon' }, source: 'mali.csv' },
      },
    ]);
  });
});
