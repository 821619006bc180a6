// How many new warnings per second PostgreSQL alone can take on this machine: the statements the
// workflow runs for one warning (bench/sql/alert-writes.sql, prepared, as the workflow sends them)
// driven by pgbench with 16 clients, with no Node and no queue. Whatever the application does, its
// throughput cannot exceed this figure, since the same cores run PostgreSQL, Redis and Node.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectDatabase, migrateDatabase } from '../src/db/index.js';
import { syncDeployment } from '../src/db/offices.js';
import { parseDeployment } from '../src/deployment/load.js';
import { benchDatabase } from './database.js';
import { benchDeployment } from './workflow.js';

/** Alerts one pgbench transaction of each script writes. */
const alertsPerTransaction: Record<string, number> = { 'alert-writes-burst': 50 };

/**
 * `script`: `alert-writes-burst` (what Tamtam runs for 50 warnings taken in together),
 * `alert-writes` (what it runs for a warning alone) or `alert-writes-minimal` (the least any
 * implementation must write, one statement per commit).
 */
export async function benchPostgresFloor(seconds: number, clients = 16, script = 'alert-writes'): Promise<{ alertsPerSecond: number }> {
  const database = await benchDatabase('tamtam_floor');
  try {
    const tamtam = connectDatabase(database.url, { max: 1 });
    await migrateDatabase(tamtam.pool);
    await syncDeployment(tamtam.db, parseDeployment(benchDeployment('1h').replace(/gazetteers:.*\n/, ''), '/bench/deployment.yaml'));
    await tamtam.close();
    const { stdout } = await promisify(execFile)('pgbench', [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(seconds),
      '-f',
      fileURLToPath(new URL(`./sql/${script}.sql`, import.meta.url)),
      database.url,
    ]);
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return { alertsPerSecond: tps * (alertsPerTransaction[script] ?? 1) };
  } finally {
    await database.drop();
  }
}
