import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const script = fileURLToPath(new URL('../../demo/run.ts', import.meta.url));

describe('npm run demo', () => {
  it('plays the scenario on the embedded defaults, prints every step and exits 0 by itself', async () => {
    // No DATABASE_URL or REDIS_URL reach the child: the demo builds its own configuration anyway.
    const { DATABASE_URL: _db, REDIS_URL: _redis, ...env } = process.env;
    const child = spawn(tsx, [script], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    const code = await exit;
    clearTimeout(timer);
    expect({ code, stderr: code === 0 ? '' : stderr, tail: code === 0 ? '' : stdout.slice(-3000) }).toEqual({ code: 0, stderr: '', tail: '' });

    const ref = /Telegram card, alert ([A-Z0-9]{5,8})/.exec(stdout)?.[1];
    expect(ref).toBeDefined();
    const steps = [
      'focal point +22376000001',
      'Des hommes armés sont entrés dans un village près de Bankass, ils tirent',
      `Merci, alerte enregistrée. Réf ${ref}`,
      `ALERTE ${ref}`,
      '[✅ Prendre en charge]',
      'Tamtam → F. Traoré (officer, Mopti)',
      'Tamtam → B. Keita (supervisor, Mopti)',
      'Telegram escalation',
      `callback_query ack:${ref} to /webhooks/telegram`,
      `Alerte ${ref} prise en charge. Merci.`,
      'Statut : prise en charge par A. Diallo',
      `Mission, alerte ${ref} : Combien sont-ils et dans quelle direction vont-ils ?`,
      `Réponse de PF-`,
      `callback_query resolve:${ref} to /webhooks/telegram`,
      `Alerte ${ref} résolue. Merci.`,
      `== 8. The alert's timeline (GET /api/alerts/${ref})`,
      'status resolved',
      '== done: every step happened',
      'stopping Tamtam',
    ];
    let from = 0;
    for (const step of steps) {
      const at = stdout.indexOf(step, from);
      expect(at, `"${step}" after position ${from} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
      from = at;
    }
    // The API's timeline, in order.
    const timeline = stdout.slice(stdout.indexOf('== 8.'));
    const types = [...timeline.matchAll(/^ {2}\+ *[\d.]+ s {2}(\w+)/gm)].map((m) => m[1]);
    const order = ['created', 'classified', 'routed', 'notified', 'escalated', 'acknowledged', 'reply_bridged', 'reporter_message', 'resolved'];
    expect(types.filter((t) => order.includes(t!))).toEqual(order);
  }, 120_000);
});
