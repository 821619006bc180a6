import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { reportAndWaitNotified } from '../helpers/alerts.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { eventually, freePort, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

interface FaultLine {
  level: number;
  dependency: string;
  component: string;
  msg: string;
}

/** The fault log's lines: per component, its problems (warn) and its recoveries (info). */
function faultLines(lines: string[]): FaultLine[] {
  return lines.map((l) => JSON.parse(l) as FaultLine).filter((l) => l.dependency && l.component);
}

/** Each component said each problem once, and its last word is that it works again. */
function expectOneLinePerProblem(lines: FaultLine[]) {
  expect(lines.length).toBeGreaterThan(0);
  const problems = lines.filter((l) => l.level === 40).map((l) => l.msg);
  expect(problems).toEqual([...new Set(problems)]);
  for (const component of new Set(lines.map((l) => l.component))) {
    expect(lines.filter((l) => l.component === component).at(-1)!.level, `${component} said it works again`).toBe(30);
  }
}

const readyz = async (app: TestTamtam) => (await fetch(`${app.url}/readyz`)).status === 200;

describe('a dependency restarting under Tamtam', () => {
  let app: TestTamtam | undefined;
  let redis: PrivateRedis | undefined;
  let database: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await app?.stop();
    await redis?.kill();
    await database?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    [app, redis, database, dataDir] = [undefined, undefined, undefined, undefined];
    vi.restoreAllMocks();
  });

  it('Redis: one log line per problem per component, one when it answers again; warnings still go through', async () => {
    const printed = vi.spyOn(console, 'error');
    redis = await startPrivateRedis();
    const lines: string[] = [];
    app = await startTestTamtam({ backend: 'redis', env: { REDIS_URL: redis.url }, logLines: lines });
    await reportAndWaitNotified(app, '+22376810001', 'Hommes armés à Mopti, ils arrivent');
    await redis.kill();
    await new Promise((r) => setTimeout(r, 2_000));
    await redis.start();
    await eventually(() => readyz(app!), { what: 'ready again' });
    await reportAndWaitNotified(app, '+22376810002', 'Hommes armés à Mopti, ils arrivent');
    await eventually(async () => expectOneLinePerProblem(faultLines(lines)) ?? true, { what: 'a line saying Redis is back' });
    expectOneLinePerProblem(faultLines(lines));
    expect(printed).not.toHaveBeenCalled();
  });

  it('PostgreSQL (also the queue backend): the same, and no crash', async () => {
    const printed = vi.spyOn(console, 'error');
    dataDir = await mkdtemp(path.join(tmpdir(), 'tamtam-outage-'));
    const port = await freePort();
    const quiet = pino({ level: 'silent' });
    database = await startEmbeddedPostgres({ dataDir, log: quiet, port });
    const lines: string[] = [];
    app = await startTestTamtam({
      backend: 'postgres',
      shared: { databaseUrl: database.url, namespace: `t_${randomBytes(5).toString('hex')}` },
      logLines: lines,
    });
    await reportAndWaitNotified(app, '+22376810003', 'Hommes armés à Mopti, ils arrivent');
    await database.stop();
    await new Promise((r) => setTimeout(r, 2_000));
    database = await startEmbeddedPostgres({ dataDir, log: quiet, port });
    await eventually(() => readyz(app!), { what: 'ready again' });
    await reportAndWaitNotified(app, '+22376810004', 'Hommes armés à Mopti, ils arrivent');
    await eventually(async () => expectOneLinePerProblem(faultLines(lines)) ?? true, { what: 'a line saying the database is back' });
    expectOneLinePerProblem(faultLines(lines));
    expect(printed).not.toHaveBeenCalled();
  });
});
