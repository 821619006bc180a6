import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { connectDatabase, type Database } from '../../src/db/index.js';
import { freshDatabase } from './database.js';
import { testPostgresUrl, testRedisUrl, type QueueBackendKind } from './env.js';
import { deleteQueueNamespace } from './redis.js';
import { freePort, startTestTamtam, type TestTamtam } from './tamtam.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** One JSON log line, as pino writes it. */
export type LogLine = { level: number; msg: string; component?: string; [key: string]: unknown };

/**
 * Tamtam reaching PostgreSQL (and, on the PostgreSQL backend, its queues) through a TCP proxy the
 * test can cut, on a fresh database; `direct` reads that database without the proxy. `restart()`
 * stops Tamtam and starts a new instance on the same database, namespace, DATA_DIR and port.
 */
export interface TamtamBehindProxy {
  app: TestTamtam;
  postgres: TcpProxy;
  direct: Database;
  dataDir: string;
  publicUrl: string;
  logs: LogLine[];
  /** Stops Tamtam, runs `meanwhile` (restore PostgreSQL…), starts a new instance. */
  restart(meanwhile?: () => Promise<void>): Promise<TestTamtam>;
  stop(): Promise<void>;
}

export async function startTamtamBehindProxy({
  backend,
  deployment,
  env = {},
}: {
  backend: QueueBackendKind;
  deployment: string;
  env?: Record<string, string>;
}): Promise<TamtamBehindProxy> {
  const database = await freshDatabase();
  const target = new URL(testPostgresUrl);
  const postgres = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const direct = connectDatabase(database.url, { max: 2 });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tamtam-outage-'));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const namespace = `t_${randomBytes(5).toString('hex')}`;
  const logs: LogLine[] = [];
  const capture = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      if (process.env.OUTAGE_LOG_FILE) appendFileSync(process.env.OUTAGE_LOG_FILE, chunk);
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const start = () =>
    startTestTamtam({
      backend,
      deployment,
      shared: { databaseUrl: postgres.url(database.url), namespace },
      log: pino({ level: 'info' }, capture),
      env: { PORT: String(port), PUBLIC_URL: publicUrl, DATA_DIR: dataDir, ...env },
    });
  const result: TamtamBehindProxy = {
    app: await start(),
    postgres,
    direct,
    dataDir,
    publicUrl,
    logs,
    async restart(meanwhile) {
      await result.app.stop();
      await meanwhile?.();
      result.app = await start();
      return result.app;
    },
    async stop() {
      await result.app.stop();
      await postgres.close();
      await direct.close();
      if (backend === 'redis') await deleteQueueNamespace(testRedisUrl, namespace);
      await database.drop();
    },
  };
  return result;
}
