import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/index.js';
import { runTamtamCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/database.js';
import { insertOffices, insertTimeline } from '../helpers/timelines.js';

describe('npm run tamtam -- report / export alerts', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let database: Database;
  let dir: string;
  const run = (...args: string[]) => runTamtamCli(args, { databaseUrl: db.url, dataDir: dir });
  beforeAll(async () => {
    db = await freshDatabase();
    database = connectDatabase(db.url, { max: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'tamtam-reports-'));
    await insertOffices(database.pool, ['mopti', 'gao']);
    // 23:30 UTC on 31 October is still October in Bamako (UTC+0), the demo deployment's time zone.
    await insertTimeline(database.pool, { received: '2026-10-31T23:30:00Z', office: 'gao', cardSent: 5, acknowledged: 125 });
    await insertTimeline(database.pool, {
      received: '2026-11-03T10:00:00Z',
      office: 'mopti',
      cardSent: 4,
      acknowledged: 3_700,
      resolved: { at: 7_200, outcomes: ['patrol'] },
    });
    await insertTimeline(database.pool, {
      received: '2026-11-04T10:00:00Z',
      office: 'mopti',
      cardSent: 2,
      text: 'Attaque à Sévaré, appelez le 0022376123456',
    });
  });
  afterAll(async () => {
    await database?.close();
    await db?.drop();
  });

  it('prints the response report as a table with its total', async () => {
    const { code, stdout } = await run('report', 'response', '--from', '2026-10-01', '--to', '2026-12-01', '--by', 'office,month');
    expect(code).toBe(0);
    expect(stdout).toContain('Africa/Bamako');
    const lines = stdout.split('\n');
    expect(lines.find((l) => l.startsWith('gao '))).toMatch(/^gao\s+2026-10\s+1\s+1\s+1\s+100%\s+100%\s+0\s+0\s+0\s+0\s+0\s+1\s+5s\s+2m05s\s+2m05s/);
    expect(lines.find((l) => l.startsWith('mopti '))).toMatch(/^mopti\s+2026-11\s+2\s+1\s+0\s+50%\s+0%/);
    expect(lines.find((l) => l.startsWith('total '))).toMatch(/^total\s+3\s+2\s+1\s+67%\s+33%/);
  });

  it('gives the same report as JSON and CSV', async () => {
    const json = JSON.parse((await run('report', 'response', '--from', '2026-11-01', '--to', '2026-12-01', '--format', 'json')).stdout) as {
      total: { received: number; medianTimeToClose: number };
      timezone: string;
    };
    expect(json).toMatchObject({ timezone: 'Africa/Bamako', total: { received: 2, medianTimeToClose: 7_200 } });
    const csv = (await run('report', 'response', '--from', '2026-11-01', '--to', '2026-12-01', '--by', 'office', '--format', 'csv')).stdout.split(
      '\r\n',
    );
    expect(csv[0]).toMatch(/^office,received,acknowledged,acknowledgedInTime,ackRate,/);
    expect(csv[1]).toMatch(/^mopti,2,1,0,0.5,0,/);
    expect(csv[2]).toMatch(/^total,2,/);
  });

  it('prints the seasonal report', async () => {
    const { code, stdout } = await run('report', 'seasonal', '--from', '2026-01-01', '--to', '2027-01-01');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\(no place\)\s+10\s+1\s+1\n/);
    expect(stdout).toMatch(/\(no place\)\s+11\s+2\s+2\n/);
  });

  it('exports alerts to a file with the HXL row, and says how many', async () => {
    const out = path.join(dir, 'alerts.csv');
    const { code, stderr } = await run('export', 'alerts', '--from', '2026-11-01', '--to', '2026-12-01', '--hxl', '--out', out);
    expect(code).toBe(0);
    expect(stderr).toContain(`2 alerts exported to ${out}`);
    const text = await readFile(out, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]!.startsWith('\uFEFFevent_date,admin1,')).toBe(true);
    expect(lines[1]!.startsWith('#date+reported,')).toBe(true);
    expect(lines[3]).toContain('Attaque à Sévaré, appelez le [phone]');
    expect(lines).toHaveLength(5);
  });

  it.each([
    [['report', 'response', '--from', '2026-11-01'], '--to:'],
    [['report', 'response', '--from', '2026-11-01', '--to', '2026-12-01', '--by', 'region'], '--by.0: unknown "region"'],
    [['report', 'response', '--from', '2026-11-01', '--to', '2026-12-01', '--format', 'xml'], 'usage: tamtam report response'],
    [['report', 'seasonal', '--from', '2026-11-01', '--to', '2026-10-01'], '--to: must be after from'],
    [
      ['export', 'alerts', '--from', '2026-11-01', '--to', '2026-12-01', '--timezone', 'Mars/Olympus'],
      '--timezone: unknown time zone "Mars/Olympus"',
    ],
  ])('refuses %j with exit status 2', async (args, reason) => {
    const { code, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(reason);
  });
});
