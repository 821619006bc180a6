import { afterAll, describe, expect, it } from 'vitest';
import { admin } from '../helpers/database.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { eventually, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

async function readyz(app: TestTamtam): Promise<{ status: number; text: string; body: Record<string, unknown> }> {
  const response = await fetch(`${app.url}/readyz`);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

describe('/readyz', () => {
  let app: TestTamtam | undefined;
  let redis: PrivateRedis | undefined;
  afterAll(async () => {
    await app?.stop();
    await redis?.kill();
  });

  it('names the dependency that is down, without addresses or error messages', async () => {
    redis = await startPrivateRedis();
    app = await startTestTamtam({ backend: 'redis', env: { REDIS_URL: redis.url } });
    expect((await readyz(app)).body).toMatchObject({ ok: true, database: 'ok', queue: 'ok' });

    await redis.kill();
    const queueDown = await eventually(
      async () => {
        const r = await readyz(app!);
        return r.status === 503 && r;
      },
      { what: 'a 503 while Redis is down' },
    );
    expect(queueDown.body).toMatchObject({ ok: false, database: 'ok', queue: 'down' });
    expect(queueDown.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect/);

    await redis.start();
    await eventually(async () => (await readyz(app!)).status === 200, { what: 'ready again once Redis is back' });

    // The database goes away (dropped under Tamtam's feet): the readiness says so, and only that.
    const name = new URL(app.databaseUrl).pathname.slice(1);
    await admin((c) => c.query(`drop database ${name} with (force)`));
    const databaseDown = await readyz(app);
    expect(databaseDown.status).toBe(503);
    expect(databaseDown.body).toMatchObject({ ok: false, database: 'down', queue: 'ok' });
    expect(databaseDown.text).not.toMatch(/does not exist|tamtam_t_|127\.0\.0\.1/);
  });
});
