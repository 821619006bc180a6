import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createIntake } from '../../src/workflows/alerts/intake.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

function startWorkerProcess(databaseUrl: string, namespace: string, backend: string, deploymentFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/worker-process.ts', databaseUrl, namespace, backend, deploymentFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
  });
}

describe.each(queueBackends)('a worker killed mid-job on the %s backend', (backend) => {
  const apps: TestTamtam[] = [];
  let child: ChildProcess | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    for (const app of apps.reverse()) await app.stop();
    apps.length = 0;
  });

  // One by one, each message is a job of its own; in bursts, jobs carry up to 40 messages whose
  // alerts are written in one transaction.
  it.each(['one by one', 'in bursts'] as const)('loses nothing and duplicates nothing, messages arriving %s', async (arrival) => {
    const deployment = testDeployment({ ackTimeout: '1h' });
    const web = await startTestTamtam({ backend, deployment, start: { role: 'web' } });
    apps.push(web);
    const deploymentFile = path.join(tmpdir(), `tamtam-crash-${web.namespace}.yaml`);
    await writeFile(deploymentFile, deployment);
    child = await startWorkerProcess(web.databaseUrl, web.namespace, backend, deploymentFile);

    // Bursts are taken in fast: more of them, so that the kill still comes mid-way.
    const total = arrival === 'one by one' ? 120 : 400;
    const from = (i: number) => `+2237620${String(i).padStart(4, '0')}`;
    const text = (i: number) => `Hommes armés vus près de Mopti (${i})`;
    if (arrival === 'one by one') {
      for (let i = 0; i < total; i++) expect((await web.send(from(i), text(i))).status).toBe(202);
    } else {
      const intake = createIntake({ db: web.deps.db, pii: web.deps.pii, queues: web.deps.queues, log: web.deps.log });
      for (let i = 0; i < total; i += 40) {
        const burst = Array.from({ length: 40 }, (_, k) => i + k);
        await Promise.all(burst.map((n) => intake({ channel: 'simulator', providerMessageId: `crash-${n}`, from: from(n), text: text(n), receivedAt: new Date() })));
      }
    }
    const count = async (query: ReturnType<typeof sql>) => Number((await web.deps.db.execute<{ n: number }>(query)).rows[0]!.n);
    // Kill the worker while it is busy: some messages processed, others not yet.
    await eventually(async () => (await count(sql`select count(*)::int as n from alerts`)) >= 20, { what: 'some alerts' });
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;
    // The kill really came mid-way: work was left unfinished.
    expect(await count(sql`select count(*)::int as n from alerts where status = 'notified'`)).toBeLessThan(total);

    // A fresh worker takes over: stalled jobs are retried, lost ones re-enqueued by the reconciler.
    apps.push(
      await startTestTamtam({
        backend,
        deployment,
        shared: { databaseUrl: web.databaseUrl, namespace: web.namespace },
        start: { role: 'worker', workers: { stalledIntervalMs: 1_000, reconcile: { everyMs: 1_000, staleAfterMs: 2_000 } } },
      }),
    );
    await eventually(async () => (await count(sql`select count(*)::int as n from alerts where status = 'notified'`)) === total, {
      timeout: 45_000,
      what: `all ${total} alerts notified`,
    });
    expect(await count(sql`select count(*)::int as n from alerts`)).toBe(total);
    expect(await count(sql`select count(*)::int as n from inbound_messages where processed_at is null`)).toBe(0);
    // Every alert has exactly one `created` and one `notified` event and one card per Mopti officer.
    expect(await count(sql`select count(*)::int as n from alert_events where type = 'created'`)).toBe(total);
    expect(await count(sql`select count(*)::int as n from alert_events where type = 'notified'`)).toBe(total);
    expect(await count(sql`select count(*)::int as n from outbound_messages where purpose = 'card'`)).toBe(total * 2);
    await eventually(async () => (await count(sql`select count(*)::int as n from outbound_messages where status = 'queued'`)) === 0, {
      timeout: 30_000,
      what: 'every message sent',
    });
  });
});
