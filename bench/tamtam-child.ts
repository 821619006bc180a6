// Starts bench/tamtam-process.ts (Tamtam in a process of its own) and waits for its ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface TamtamChild {
  child: ChildProcess;
  /** Where its HTTP server listens; null for role `worker`. */
  url: string | null;
  /** SIGTERM (Tamtam finishes its active jobs), then waits for the exit; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns Tamtam with `env` as its whole environment (PATH and HOME are added), configured as
 * `npm start` is plus BENCH_ROLE and BENCH_NAMESPACE, and resolves once it has printed its ready
 * line. If it exits first, rejects.
 */
export async function spawnTamtam(env: Record<string, string>): Promise<TamtamChild> {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'bench/tamtam-process.ts')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async (graceMs = 30_000) => {
    if (running()) child.kill('SIGTERM');
    const timer = setTimeout(() => running() && child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code, signal) =>
        reject(new Error(`Tamtam (role ${env.BENCH_ROLE ?? 'all'}) exited (${code ?? signal}) before it was ready`)),
      );
    });
    const ready = JSON.parse(line) as { url?: string | null };
    if (!('url' in ready)) throw new Error(`unexpected output from Tamtam: ${line}`);
    return { child, url: ready.url ?? null, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
