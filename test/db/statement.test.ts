import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlert, getAlert } from '../../src/db/alerts.js';
import { connectDatabase, type Database } from '../../src/db/index.js';
import { freshDatabase } from '../helpers/database.js';

// The hot-path statements go straight to pg through the connection drizzle holds; inside a
// transaction they must run on the transaction's own connection, or an alert could be half-written.
describe('prepared statements and transactions', () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    database = connectDatabase(fresh.url, { max: 3 });
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  const values = { text: 'Tirs à Mopti', channel: 'simulator', focalPointId: null, language: null, actor: 'system' };

  it('run inside the caller’s transaction: seen within it, gone with its rollback', async () => {
    let id = 0;
    await expect(
      database.db.transaction(async (tx) => {
        id = (await createAlert(tx, values)).id;
        expect((await getAlert(tx, id))?.text).toBe('Tirs à Mopti');
        expect(await getAlert(database.db, id)).toBeNull(); // not committed: invisible outside
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await getAlert(database.db, id)).toBeNull();
    const { rows } = await database.pool.query('select count(*)::int as n from alert_events');
    expect(rows[0].n).toBe(0);
  });

  it('return rows typed as drizzle’s (numbers, dates, parsed JSON)', async () => {
    const created = await database.db.transaction((tx) => createAlert(tx, values));
    const row = await getAlert(database.db, created.id);
    expect(row).toMatchObject({ id: created.id, status: 'new', timerSeq: 0, evidence: null });
    expect(typeof row!.id).toBe('number');
    expect(row!.createdAt).toBeInstanceOf(Date);
  });
});
