import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const script = fileURLToPath(new URL('./exit-check.script.ts', import.meta.url));

describe('fakes leave nothing behind', () => {
  it('a process that used both fakes through keep-alive clients exits on its own after close()', async () => {
    const child = spawn(tsx, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The long poll in the script asks for 50 s: only a close() that really releases sockets finishes in time.
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exit;
    clearTimeout(timer);
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: 'closed' });
  }, 20_000);
});
