import { describe, expect, it } from 'vitest';
import { createAlert, getAlert } from '../../src/db/alerts.js';
import { useFreshDatabase } from '../helpers/database.js';

// The hot-path statements go straight to pg through the connection drizzle holds; inside a
// transaction they must run on the transaction's own connection, or an alert could be half-written.
describe('prepared statements and transactions', () => {
  const db = useFreshDatabase();

  const values = { text: 'Tirs à Mopti', channel: 'simulator', focalPointId: null, language: null, actor: 'system' };

  it('run inside the caller’s transaction: seen within it, gone with its rollback', async () => {
    let id = 0;
    await expect(
      db().db.transaction(async (tx) => {
        id = (await createAlert(tx, values)).id;
        expect((await getAlert(tx, id))?.text).toBe('Tirs à Mopti');
        expect(await getAlert(db().db, id)).toBeNull(); // not committed: invisible outside
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await getAlert(db().db, id)).toBeNull();
    const { rows } = await db().pool.query('select count(*)::int as n from alert_events');
    expect(rows[0].n).toBe(0);
  });

  it('return rows typed as drizzle’s (numbers, dates, parsed JSON)', async () => {
    const created = await db().db.transaction((tx) => createAlert(tx, values));
    const row = await getAlert(db().db, created.id);
    expect(row).toMatchObject({ id: created.id, status: 'new', timerSeq: 0, evidence: null });
    expect(typeof row!.id).toBe('number');
    expect(row!.createdAt).toBeInstanceOf(Date);
  });
});
