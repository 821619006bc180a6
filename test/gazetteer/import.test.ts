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
});
