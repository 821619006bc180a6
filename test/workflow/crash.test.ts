import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createIntake } from '../../src/workflows/alerts/intake.js';
import { queueDefinitions } from '../../src/workflows/queue/jobs.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

function startWorkerProcess(
  databaseUrl: string,
  namespace: string,
  backend: string,
  deploymentFile: string,
  sendsFile?: string,
): Promise<ChildProcess> {
  const args = [databaseUrl, namespace, backend, deploymentFile, ...(sendsFile ? [sendsFile] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/worker-process.ts', ...args], {
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
        await Promise.all(
          burst.map((n) => intake({ channel: 'simulator', providerMessageId: `crash-${n}`, from: from(n), text: text(n), receivedAt: new Date() })),
        );
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

  // Send jobs on the simulator's queue carry up to 50 messages. Each message is recorded as sent
  // before the next one leaves, so a kill can leave at most one message per running send job sent
  // but unrecorded: the retry sends that one again (no provider takes an idempotency key), and
  // nothing else. Every send is counted where it happens: in a file the killed process appends to,
  // and in memory in the process that takes over.
  it('sends no message twice but the one a running send job had in flight', async () => {
    const deployment = testDeployment({ ackTimeout: '1h' });
    const web = await startTestTamtam({ backend, deployment, start: { role: 'web' } });
    apps.push(web);
    const deploymentFile = path.join(tmpdir(), `tamtam-crash-${web.namespace}.yaml`);
    const sendsFile = path.join(tmpdir(), `tamtam-crash-${web.namespace}.sends`);
    await writeFile(deploymentFile, deployment);
    await writeFile(sendsFile, '');
    child = await startWorkerProcess(web.databaseUrl, web.namespace, backend, deploymentFile, sendsFile);

    const total = 300;
    const from = (i: number) => `+2237630${String(i).padStart(4, '0')}`;
    const intake = createIntake({ db: web.deps.db, pii: web.deps.pii, queues: web.deps.queues, log: web.deps.log });
    for (let i = 0; i < total; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) => i + k).map((n) =>
          intake({
            channel: 'simulator',
            providerMessageId: `burst-${n}`,
            from: from(n),
            text: `Hommes armés vus près de Mopti (${n})`,
            receivedAt: new Date(),
          }),
        ),
      );
    }
    const ids = async (query: ReturnType<typeof sql>) => new Set((await web.deps.db.execute<{ id: number }>(query)).rows.map((r) => Number(r.id)));
    const count = async (query: ReturnType<typeof sql>) => Number((await web.deps.db.execute<{ n: number }>(query)).rows[0]!.n);
    // Killed mid-burst: some messages sent, others not yet.
    await eventually(async () => (await count(sql`select count(*)::int as n from outbound_messages where status = 'sent'`)) >= 100, {
      what: 'some messages sent',
    });
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;
    const sentByKilled = (await readFile(sendsFile, 'utf8')).split('\n').filter(Boolean).map(Number);
    const recorded = await ids(sql`select id from outbound_messages where status = 'sent'`);
    const inFlight = new Set(sentByKilled.filter((id) => !recorded.has(id)));
    expect(recorded.size).toBeLessThan(total * 3);

    const sentByNext: number[] = [];
    apps.push(
      await startTestTamtam({
        backend,
        deployment,
        shared: { databaseUrl: web.databaseUrl, namespace: web.namespace },
        start: {
          role: 'worker',
          workers: { stalledIntervalMs: 1_000, reconcile: { everyMs: 1_000, staleAfterMs: 2_000 } },
          onSimulatorSend: (message) => void sentByNext.push(message.id),
        },
      }),
    );
    await eventually(async () => (await count(sql`select count(*)::int as n from outbound_messages where status = 'queued'`)) === 0, {
      timeout: 45_000,
      what: 'every message sent',
    });
    // Every warning an alert, once; one card per Mopti officer and one confirmation per reporter.
    expect(await count(sql`select count(*)::int as n from alerts where status = 'notified'`)).toBe(total);
    expect(await count(sql`select count(*)::int as n from alert_events where type = 'created'`)).toBe(total);
    expect(await count(sql`select count(*)::int as n from outbound_messages where purpose = 'card'`)).toBe(total * 2);
    expect(await count(sql`select count(*)::int as n from outbound_messages where purpose = 'confirmation'`)).toBe(total);
    expect(await count(sql`select count(*)::int as n from outbound_messages where status = 'sent'`)).toBe(total * 3);

    // What the provider saw: every message at least once; twice only if it was in flight at the kill.
    const times = new Map<number, number>();
    for (const id of [...sentByKilled, ...sentByNext]) times.set(id, (times.get(id) ?? 0) + 1);
    expect(times.size).toBe(total * 3);
    const twice = [...times].filter(([, n]) => n > 1).map(([id]) => id);
    expect(twice.filter((id) => !inFlight.has(id))).toEqual([]);
    expect(Math.max(0, ...times.values())).toBeLessThanOrEqual(2);
    // At most one message in flight per send job running at the kill.
    expect(inFlight.size).toBeLessThanOrEqual(queueDefinitions['outbound-simulator'].concurrency);
  });
});
