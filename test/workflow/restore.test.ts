import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { alertRows } from '../helpers/alerts.js';
import { admin, freshDatabase } from '../helpers/database.js';
import { databaseUrl, testRedisUrl } from '../helpers/env.js';
import { deleteQueueNamespace } from '../helpers/redis.js';
import { eventually, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

const sql = (query: string) => admin((c) => c.query(query));

/** Sends warnings from new reporters and waits until each is an alert whose card reached an officer. */
async function warnAndExpectCards(app: TestTamtam, count: number, tag: string): Promise<number[]> {
  const before = (await alertRows(app)).length;
  for (let i = 0; i < count; i++) {
    const response = await app.send(`+2237690${tag}${String(i).padStart(2, '0')}`, `Hommes armés à Mopti, ils arrivent (${tag}-${i})`);
    expect(response.status).toBe(202);
  }
  const alerts = await eventually(
    async () => {
      const rows = (await alertRows(app)).slice(before);
      return rows.length === count && rows;
    },
    { what: `${count} new alerts` },
  );
  await eventually(
    async () => {
      const cards = (await app.outbox('officer:o-traore')).filter((m) => m.purpose === 'card');
      return alerts.every((a) => cards.some((c) => c.alertId === a.id));
    },
    { what: `a card for each of the ${count} new alerts` },
  );
  return alerts.map((a) => a.id);
}

describe('a database restored or recreated beside the queue it had (Redis keeps finished jobs)', () => {
  const namespace = `t_${randomBytes(5).toString('hex')}`;
  const names: string[] = [];
  let app: TestTamtam | undefined;
  const start = async (name: string) => {
    app = await startTestTamtam({ backend: 'redis', shared: { databaseUrl: databaseUrl(name), namespace } });
    return app;
  };
  const stop = async () => {
    await app?.stop();
    app = undefined;
  };
  afterAll(async () => {
    await stop();
    for (const name of names) await sql(`drop database if exists ${name} with (force)`);
    await deleteQueueNamespace(testRedisUrl, namespace);
  });

  it('processes every new warning: new row ids never meet the old jobs', async () => {
    const original = (await freshDatabase()).name;
    const backup = `${original}_backup`;
    names.push(original, backup);
    await warnAndExpectCards(await start(original), 3, '10');
    await stop();
    // A backup, as a dump restored later into a new database would be.
    await sql(`create database ${backup} template ${original}`);
    const lost = await warnAndExpectCards(await start(original), 3, '11');
    await stop();

    // The database is lost and restored from the backup; the queue still has the last three alerts' jobs.
    await sql(`drop database ${original} with (force)`);
    const afterRestore = await warnAndExpectCards(await start(backup), 3, '12');
    expect(afterRestore).toEqual(lost); // the same row ids again
    await stop();

    // A new, empty database beside the same queue.
    const fresh = (await freshDatabase()).name;
    names.push(fresh);
    await warnAndExpectCards(await start(fresh), 3, '13');
  });
});
