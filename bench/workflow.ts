// Workflow benchmark: intake → notified throughput, intake → card latency at a steady rate, and
// escalation lateness with 10,000 pending timers, on one queue backend. Throughput can also be
// measured with the jobs processed by separate `--role worker` processes (bench/tamtam-process.ts).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { benchDatabase } from './database.js';
import pino from 'pino';
import { deleteQueueNamespace } from '../test/helpers/redis.js';
import type { OutgoingMessage } from '../src/channels/channel.js';
import { loadConfig } from '../src/config.js';
import { startTamtam, type Tamtam } from '../src/main.js';
import { createIntake } from '../src/workflows/alerts/intake.js';
import { spawnTamtam, type TamtamChild } from './tamtam-child.js';

export const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const gazetteer = fileURLToPath(new URL('../deploy/gazetteer/mali.csv', import.meta.url));

/**
 * The benchmarks' deployment: Mopti and a triage JOC, `officers` officers in Mopti (the first
 * reachable by SMS at `officerPhone`, when given: the soak's officer answers by SMS), a supervisor
 * and the JOC, every severity acknowledged within `ackTimeout`.
 */
export const benchDeployment = (
  ackTimeout: string,
  { mission = 'BENCH', officers = 2, officerPhone }: { mission?: string; officers?: number; officerPhone?: string } = {},
) => `
mission: ${mission}
fieldOffices:
  - { id: mopti, name: Mopti, area: { admin1: [Mopti] }, location: [14.49, -4.19] }
  - { id: joc, name: JOC, area: {}, triage: true }
officers:
${Array.from({ length: officers }, (_, i) => `  - { id: o-${i + 1}, name: Officer ${i + 1}, office: mopti, role: officer${i === 0 && officerPhone ? `, phone: "${officerPhone}"` : ''} }`).join('\n')}
  - { id: o-s, name: Supervisor, office: mopti, role: supervisor }
  - { id: o-j, name: JOC, office: joc, role: joc }
escalationPolicies:
  default:
    ackTimeout: { critical: ${ackTimeout}, high: ${ackTimeout}, medium: ${ackTimeout}, low: ${ackTimeout} }
    levels: [{ notify: [office.officers] }, { notify: [office.supervisors] }, { notify: [role.joc] }]
    repeatLast: 0
gazetteers: [{ path: ${gazetteer} }]
# Every warning here names Mopti with the same words: one incident, which grouping would make one
# alert. The benchmark measures distinct warnings, each an alert of its own.
sameIncident: { group: false }
`;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface InstanceOptions {
  /**
   * Tamtam processes with role `worker` to start beside the in-process instance (same database,
   * queue namespace, deployment file and PII key). With any, the in-process instance is role `web`,
   * so that only they process jobs; with none (the default) it is role `all`.
   */
  workers?: number;
}

async function withInstance<T>(
  backend: 'redis' | 'postgres',
  ackTimeout: string,
  run: (app: Tamtam, sent: (fn: (m: OutgoingMessage) => void) => void, observer: pg.Client) => Promise<T>,
  { workers = 0 }: InstanceOptions = {},
): Promise<T> {
  const database = await benchDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-bench-'));
  await writeFile(path.join(dir, 'deployment.yaml'), benchDeployment(ackTimeout));
  const namespace = `bench_${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URL: database.url,
    ...(backend === 'redis' ? { REDIS_URL: redisUrl } : {}),
    PORT: '0',
    DATA_DIR: dir,
    DEPLOYMENT_FILE: path.join(dir, 'deployment.yaml'),
    PII_KEY: randomBytes(32).toString('base64'),
  };
  let listener: (m: OutgoingMessage) => void = () => {};
  const children: TamtamChild[] = [];
  let app: Tamtam | undefined;
  // The benchmark watches PostgreSQL on a connection of its own: on the app's pool its polls would
  // queue behind the workers' queries and see the end late.
  const observer = new pg.Client({ connectionString: database.url });
  try {
    await observer.connect();
    app = await startTamtam(loadConfig(env), {
      role: workers > 0 ? 'web' : 'all',
      queueNamespace: namespace,
      log: pino({ level: 'silent' }),
      onSimulatorSend: (m) => listener(m),
    });
    // Started after the in-process instance, which has migrated the database and imported the gazetteer.
    const started = await Promise.allSettled(
      Array.from({ length: workers }, () => spawnTamtam({ ...env, LOG_LEVEL: 'silent', BENCH_ROLE: 'worker', BENCH_NAMESPACE: namespace })),
    );
    for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    // A worker process that dies would leave the benchmark waiting for ever.
    const died = new Promise<never>((_, reject) => {
      for (const c of children)
        c.child.once('exit', (code, signal) => reject(new Error(`a worker process exited (${code ?? signal}) during the benchmark`)));
    });
    died.catch(() => {}); // exits during the stop below are expected
    return await Promise.race([run(app, (fn) => (listener = fn), observer), died]);
  } finally {
    // Worker processes first (they finish their active jobs), then this one, then the data.
    await Promise.all(children.map((c) => c.stop()));
    await app?.stop();
    await observer.end().catch(() => {});
    if (backend === 'redis') await deleteQueueNamespace(redisUrl, namespace);
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * CPU time the whole machine has spent so far (every process: Tamtam, PostgreSQL, Redis, the
 * benchmark), in ms, from /proc/stat; NaN elsewhere. Less noisy than wall time on a shared VM.
 */
async function machineCpuMs(): Promise<number> {
  try {
    const [, ...fields] = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields as number[];
    return ((user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** One burst's figures: alerts/s from intake to `notified`, when it was all taken in, machine CPU per alert. */
export interface BurstFigures {
  alertsPerSecond: number;
  intakeSeconds: number;
  cpuMsPerAlert: number;
}

/**
 * Alerts per second from intake to `notified`, for a burst of `count` warnings from first-time
 * reporters, 50 at a time through the intake, twice: on a fresh process (`cold`: connections
 * opened, statements prepared and code compiled during the burst), then, once every message of the
 * first has been sent, on the same process (`warm`). With `workers`, that many `--role worker`
 * processes process the jobs and this process only takes the warnings in (role `web`); without,
 * this process does both (role `all`). `workerProcesses` says how many processes ran workers.
 */
export async function benchThroughput(
  backend: 'redis' | 'postgres',
  count: number,
  options: { workers?: number } = {},
): Promise<{ cold: BurstFigures; warm: BurstFigures; workerProcesses: number }> {
  const workers = options.workers ?? 0;
  const figures = await withInstance(
    backend,
    '1h',
    async (app, _sent, observer) => {
      const intake = createIntake({ db: app.deps.db, pii: app.deps.pii, queues: app.deps.queues, log: app.deps.log });
      const countOf = async (query: string) => (await observer.query<{ n: number }>(query)).rows[0]!.n;
      const burst = async (first: number): Promise<BurstFigures> => {
        const cpuBefore = await machineCpuMs();
        const started = Date.now();
        for (let i = first; i < first + count; i += 50) {
          await Promise.all(
            Array.from({ length: Math.min(50, first + count - i) }, (_, j) =>
              intake({
                channel: 'simulator',
                providerMessageId: `b-${i + j}`,
                from: `+2237${String(6000000 + i + j)}`,
                text: `Hommes armés vus à Mopti ce matin (${i + j})`,
                receivedAt: new Date(),
              }),
            ),
          );
        }
        const intakeSeconds = (Date.now() - started) / 1000;
        while ((await countOf(`select count(*)::int as n from alerts where status = 'notified'`)) < first + count)
          await new Promise((r) => setTimeout(r, 20));
        const alertsPerSecond = count / ((Date.now() - started) / 1000);
        return { alertsPerSecond, intakeSeconds, cpuMsPerAlert: ((await machineCpuMs()) - cpuBefore) / count };
      };
      const cold = await burst(0);
      while ((await countOf(`select count(*)::int as n from outbound_messages where status = 'queued'`)) > 0)
        await new Promise((r) => setTimeout(r, 50));
      const warm = await burst(count);
      return { cold, warm };
    },
    { workers },
  );
  return { ...figures, workerProcesses: workers > 0 ? workers : 1 };
}

/** Percentiles of latencies (ms) and how many there were. */
export interface LatencyFigures {
  p50: number;
  p99: number;
  count: number;
}

/**
 * Latency from intake to the officer's card leaving, at a steady `rate` alerts/s for twice
 * `seconds`: the first `seconds` from a cold start (fresh process: connections opened, statements
 * prepared and code compiled as the first warnings come), the next `seconds` warm.
 */
export async function benchLatency(
  backend: 'redis' | 'postgres',
  rate: number,
  seconds: number,
): Promise<{ cold: LatencyFigures; warm: LatencyFigures }> {
  return withInstance(backend, '1h', async (app, onSent) => {
    const intake = createIntake({ db: app.deps.db, pii: app.deps.pii, queues: app.deps.queues, log: app.deps.log });
    const injectedAt = new Map<number, number>();
    const latencies = new Map<number, number>();
    onSent((m) => {
      const n = Number(m.text.match(/#(\d+)\)/)?.[1]);
      const at = injectedAt.get(n);
      if (m.to === 'officer:o-1' && at !== undefined) latencies.set(n, performance.now() - at);
    });
    const half = rate * seconds;
    const total = 2 * half;
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      injectedAt.set(i, performance.now());
      void intake({
        channel: 'simulator',
        providerMessageId: `l-${i}`,
        from: `+2237${String(7000000 + i)}`,
        text: `Tirs entendus à Mopti (#${i})`,
        receivedAt: new Date(),
      });
    }
    const deadline = Date.now() + 60_000;
    while (latencies.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const figures = (from: number, to: number): LatencyFigures => {
      const values = [...latencies].filter(([n]) => n >= from && n < to).map(([, ms]) => ms);
      return { p50: percentile(values, 50), p99: percentile(values, 99), count: values.length };
    };
    return { cold: figures(0, half), warm: figures(half, total) };
  });
}

/**
 * Escalation lateness (fire time minus deadline) with `timers` pending: alerts are written as
 * notified, their timers set as the notify step does. `due` of them have deadlines spread over
 * the next `spreadSeconds`; the rest are due in an hour and stay pending throughout.
 */
export async function benchEscalationLateness(
  backend: 'redis' | 'postgres',
  timers: number,
  due: number,
  spreadSeconds: number,
): Promise<{ p50: number; p99: number; fired: number }> {
  return withInstance(backend, '1h', async (app, _sent, observer) => {
    const start = Date.now() + 5_000;
    const { db, queues } = app.deps;
    await db.execute(sql`
      insert into alerts (ref, status, threat_type, urgency, severity, office_id, text, channel, timer_seq, ack_deadline, notified_at, classified_at, routed_at)
      select 'B' || lpad(g::text, 7, '0'), 'notified', 'armed_group_presence', 'ongoing', 'high', 'mopti', 'bench', 'simulator', 1,
             to_timestamp(case when g <= ${due} then ${start}::bigint + (g * ${spreadSeconds * 1000}::bigint / ${due})
                               else ${start + 3_600_000}::bigint + g end / 1000.0), now(), now(), now()
      from generate_series(1, ${timers}) g`);
    const { rows } = await app.database.pool.query<{ id: number; deadline: string }>(
      `select id, (extract(epoch from ack_deadline) * 1000)::bigint as deadline from alerts`,
    );
    const queue = queues.get('escalation');
    for (let i = 0; i < rows.length; i += 500) {
      await queue.addBulk(
        rows.slice(i, i + 500).map((r) => ({
          name: 'escalate',
          data: { alertId: Number(r.id), seq: 1 },
          opts: { jobId: `escalate-${r.id}-1`, delay: Number(r.deadline) - Date.now() },
        })),
      );
    }
    const until = start + spreadSeconds * 1000 + 30_000;
    let fired = 0;
    while (Date.now() < until) {
      fired = (await observer.query<{ n: number }>(`select count(*)::int as n from alert_events where type = 'escalated'`)).rows[0]!.n;
      if (fired >= due) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const late = await app.database.pool.query<{ late: number }>(
      `select (data->>'lateMs')::float8 as late from alert_events where type = 'escalated'`,
    );
    const values = late.rows.map((r) => r.late);
    return { p50: percentile(values, 50), p99: percentile(values, 99), fired };
  });
}
