import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../helpers/database.js';
import { freePort, testDeployment } from '../helpers/tamtam.js';

/** Starts `src/main.ts` as a real process; resolves once /readyz answers. */
async function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const ok = await fetch(`http://127.0.0.1:${env.PORT}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, exited, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`did not become ready:\n${output}`);
}

describe('shutting down', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await freshDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-stop-'));
    await writeFile(path.join(dir, 'deployment.yaml'), testDeployment());
    env = {
      DATABASE_URL: db.url,
      PII_KEY: Buffer.alloc(32, 3).toString('base64'),
      DEPLOYMENT_FILE: path.join(dir, 'deployment.yaml'),
      DATA_DIR: dir,
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => db?.drop());

  it('stops cleanly on SIGTERM: stops taking work, closes everything, exits 0', async () => {
    const port = String(await freePort());
    const run = await startProcess({ ...env, PORT: port });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('stopping: finishing active jobs');
    expect(
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => 'answered',
        () => 'closed',
      ),
    ).toBe('closed');
  });

  it('exits at once on a second signal', async () => {
    const run = await startProcess({ ...env, PORT: String(await freePort()) });
    run.child.kill('SIGINT');
    // Signals sent back to back may arrive as one: send the second once the first was taken.
    const until = Date.now() + 5_000;
    while (!run.output().includes('stopping: finishing active jobs') && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.output()).toContain('second signal: exiting now');
  });
});
