// The mission's reports on a large history: npm run bench -- --only reports [--alerts N].
// Seeds N alerts (default 100,000) over three years in SQL, then times the response report by
// office and month for one year, the seasonal report over the three years, and the CSV export of
// every alert (written nowhere, its bytes counted), with the process's peak RSS.
import pg from 'pg';
import { connectDatabase, migrateDatabase } from '../src/db/index.js';
import { exportAlerts } from '../src/db/alert-export.js';
import { responseReport } from '../src/db/response-report.js';
import { seasonalReport } from '../src/db/seasonal-report.js';
import { alertsCsv } from '../src/reports/alerts-csv.js';
import { benchDatabase } from './database.js';
import { seedReports } from './reports-seed.js';

export interface ReportFigures {
  seedSeconds: number;
  alerts: number;
  events: number;
  /** Milliseconds of each run (the first is cold). */
  response: number[];
  responseRows: number;
  seasonal: number[];
  seasonalRows: number;
  exportSeconds: number;
  exportedAlerts: number;
  exportBytes: number;
  /** Peak resident set size of this process, in MB, before and after the export. */
  rssBeforeMb: number;
  peakRssMb: number;
}

const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
};
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

export async function benchReports(alerts: number, runs = 5): Promise<ReportFigures> {
  const bench = await benchDatabase('tamtam_reports');
  const database = connectDatabase(bench.url, { max: 2 });
  try {
    await migrateDatabase(database.pool);
    const client = new pg.Client({ connectionString: bench.url });
    await client.connect();
    const [, seedMs] = await timed(() => seedReports(client, alerts));
    const { rows: [counts] } = await client.query<{ events: number }>('select count(*)::int as events from alert_events');
    await client.end();

    const year = { from: '2025-01-01', to: '2026-01-01', timezone: 'Africa/Bamako' };
    const response: number[] = [];
    let responseRows = 0;
    for (let i = 0; i < runs; i++) {
      const [report, ms] = await timed(() => responseReport(database.db, { ...year, by: ['office', 'month'] }));
      response.push(ms);
      responseRows = report.rows.length;
    }
    const all = { from: '2024-01-01', to: '2027-01-01', timezone: 'Africa/Bamako', exercise: true };
    const seasonal: number[] = [];
    let seasonalRows = 0;
    for (let i = 0; i < runs; i++) {
      const [rows, ms] = await timed(() => seasonalReport(database.db, { ...all, by: 'admin2' }));
      seasonal.push(ms);
      seasonalRows = rows.length;
    }
    const rssBeforeMb = peakRssMb();
    let exportedAlerts = 0;
    let exportBytes = 0;
    const [, exportMs] = await timed(async () => {
      for await (const chunk of alertsCsv(exportAlerts(database.db, all), { hxl: true, onPage: (n) => (exportedAlerts += n) })) {
        exportBytes += Buffer.byteLength(chunk);
      }
    });
    return {
      seedSeconds: seedMs / 1000, alerts, events: counts!.events, response, responseRows, seasonal, seasonalRows,
      exportSeconds: exportMs / 1000, exportedAlerts, exportBytes, rssBeforeMb, peakRssMb: peakRssMb(),
    };
  } finally {
    await database.close();
    await bench.drop();
  }
}
