import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAlert, createAlerts, getAlert, newAlertOf } from '../../src/db/alerts.js';
import { clientOf } from '../../src/db/statement.js';
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

  it('create alerts in one statement whose rows, as returned, are the rows as stored', async () => {
    const now = new Date();
    const stages = [
      {
        set: {
          threatType: 'armed_group_presence',
          urgency: 'ongoing',
          severity: 'high',
          confidence: 0.8125,
          evidence: ['hommes armés'],
          language: 'fr',
          classifiedAt: now,
        },
        event: { type: 'classified', actor: 'system' },
      },
      { set: { officeId: null, routedAt: now }, event: { type: 'routed', actor: 'system' } },
      {
        set: { status: 'notified', notifiedAt: now, ackDeadline: new Date(now.getTime() + 3_600_000), timerSeq: 1, escalationLevel: 0 },
        event: { type: 'notified', actor: 'system', from: 'new' as const, to: 'notified' as const },
      },
    ];
    const batch = ['Tirs à Mopti', 'Pillage à Gao', 'Enlèvement à Ségou'].map((text) => newAlertOf({ ...values, text }, stages));
    const created = await db().db.transaction((tx) => createAlerts(tx, batch));
    expect(created.map((a) => a.text)).toEqual(['Tirs à Mopti', 'Pillage à Gao', 'Enlèvement à Ségou']);
    for (const alert of created) expect(alert).toEqual(await getAlert(db().db, alert.id));
    expect(new Set(created.map((a) => a.ref)).size).toBe(3);
    const { rows } = await db().pool.query('select alert_id, type from alert_events where alert_id = any($1) order by id', [
      created.map((a) => a.id),
    ]);
    expect(rows.map((r) => [Number(r.alert_id), r.type])).toEqual(
      created.flatMap((a) => ['created', 'classified', 'routed', 'notified'].map((type) => [a.id, type])),
    );
  });

  it('reach the pg client drizzle keeps privately, with drizzle-orm pinned to the version that keeps it there', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const installed = JSON.parse(readFileSync(new URL('../../node_modules/drizzle-orm/package.json', import.meta.url), 'utf8'));
    expect(manifest.dependencies['drizzle-orm']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed.version).toBe(manifest.dependencies['drizzle-orm']);
    expect(clientOf(db().db)).toBe(db().pool);
    await db().db.transaction(async (tx) => {
      const client = clientOf(tx);
      expect(client).not.toBe(db().pool);
      expect(typeof client.query).toBe('function');
    });
  });
});
