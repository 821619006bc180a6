// The mission's reports on a large history: npm run bench -- --only reports [--alerts N].
// Seeds N alerts (default 100,000) over three years in SQL, then times the response report by
// office and month for one year and the seasonal report over the three years (wall time, and
// the CPU time of the database backend, which a busy machine does not inflate), and the CSV
// export of every alert by the real command line (`tamtam export alerts`), with its peak RSS.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectDatabase, migrateDatabase, type Db } from '../src/db/index.js';
import { responseReport } from '../src/db/response-report.js';
import { seasonalReport } from '../src/db/seasonal-report.js';
import { benchDatabase } from './database.js';
import { seedReports } from './reports-seed.js';

/** Wall and database-backend CPU milliseconds of one run. */
export interface Timing {
  wallMs: number;
  dbCpuMs: number;
}

export interface ReportFigures {
  seedSeconds: number;
  events: number;
  response: Timing[];
  responseRows: number;
  seasonal: Timing[];
  seasonalRows: number;
  exportSeconds: number;
  exportedAlerts: number;
  exportMb: number;
  exportPeakRssMb: number;
}

/** CPU time (ms) a backend process has used so far, from /proc (the database runs on this machine). */
function backendCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 1/100 s
}

async function timeRuns(db: Db, pid: number, runs: number, work: () => Promise<number>): Promise<{ timings: Timing[]; rows: number }> {
  const timings: Timing[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const cpu = backendCpuMs(pid);
    const start = performance.now();
    rows = await work();
    timings.push({ wallMs: performance.now() - start, dbCpuMs: backendCpuMs(pid) - cpu });
  }
  return { timings, rows };
}

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs `npm run tamtam -- export alerts` (as the README says, with the script's Node flags) under
 * /usr/bin/time; its seconds and peak RSS (the largest process's: the command's Node, not npm's).
 */
async function exportByCli(databaseUrl: string, out: string, dataDir: string): Promise<{ seconds: number; peakRssMb: number; stderr: string }> {
  const args = [
    '-f',
    'time: %e %M',
    'npm',
    'run',
    '--silent',
    'tamtam',
    '--',
    'export',
    'alerts',
    '--from',
    '2024-01-01',
    '--to',
    '2027-01-01',
    '--exercise',
    '--hxl',
    '--out',
    out,
  ];
  const child = spawn('/usr/bin/time', args, {
    cwd: root,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn', PII_KEY: Buffer.alloc(32, 7).toString('base64') },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const match = /time: ([\d.]+) (\d+)/.exec(stderr);
  if (code !== 0 || !match) throw new Error(`export failed (${code}): ${stderr}`);
  return { seconds: Number(match[1]), peakRssMb: Number(match[2]) / 1024, stderr };
}

export async function benchReports(alerts: number, runs = 5): Promise<ReportFigures> {
  const bench = await benchDatabase('tamtam_reports');
  const database = connectDatabase(bench.url, { max: 1 });
  const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-bench-reports-'));
  try {
    await migrateDatabase(database.pool);
    const client = new pg.Client({ connectionString: bench.url });
    await client.connect();
    const seedStart = performance.now();
    await seedReports(client, alerts);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const {
      rows: [counts],
    } = await client.query<{ events: number }>('select count(*)::int as events from alert_events');
    await client.end();

    const {
      rows: [backend],
    } = await database.pool.query<{ pid: number }>('select pg_backend_pid() as pid');
    const year = { from: '2025-01-01', to: '2026-01-01', timezone: 'Africa/Bamako' };
    const response = await timeRuns(
      database.db,
      backend!.pid,
      runs,
      async () => (await responseReport(database.db, { ...year, by: ['office', 'month'] })).rows.length,
    );
    const all = { from: '2024-01-01', to: '2027-01-01', timezone: 'Africa/Bamako', exercise: true };
    const seasonal = await timeRuns(
      database.db,
      backend!.pid,
      runs,
      async () => (await seasonalReport(database.db, { ...all, by: 'admin2' })).length,
    );

    const out = path.join(dir, 'alerts.csv');
    const exported = await exportByCli(bench.url, out, dir);
    const exportedAlerts = Number(/(\d+) alerts exported/.exec(exported.stderr)?.[1] ?? 0);
    return {
      seedSeconds,
      events: counts!.events,
      response: response.timings,
      responseRows: response.rows,
      seasonal: seasonal.timings,
      seasonalRows: seasonal.rows,
      exportSeconds: exported.seconds,
      exportedAlerts,
      exportMb: (await stat(out)).size / 1e6,
      exportPeakRssMb: exported.peakRssMb,
    };
  } finally {
    await database.close();
    await bench.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
