// npm run bench: prints the figures recorded in BENCHMARKS.md.
// Options: --backend redis|postgres (default both), --quick (smaller runs),
// --only classify|workflow|webhooks (the parts of a full run), or --only throughput (the workflow
// part's first figure alone), --only ceiling (BullMQ's own ceiling, no-op processors: bench/ceiling.ts)
// or --only floor (PostgreSQL alone running the workflow's statements under pgbench: bench/postgres-floor.ts),
// --only reports (the response and seasonal reports and the alerts export on 100,000 alerts: bench/reports.ts),
// --only latency (intake → officer card sent, single warnings at --rate N a second, default 100, for
// --seconds S twice, default 10: the workflow part's latency figure alone),
// --only soak (bench/soak.ts: --rate N warnings a second, default 20, with an officer's acks,
// replies and resolutions, for --minutes M, default 30; prints RSS, event-loop delay p99 and
// errors each minute; not part of a full run);
// a full run ends with both, as the limits of the machine the other figures were measured on.
// --workers N (throughput measured with N `--role worker` processes doing the work, the benchmark's
// own instance taking warnings in as role `web`; default 0: one instance with role `all`),
// --alerts N (alerts in the throughput burst and the ceiling run; default 2,000, 500 with --quick;
// with --only reports, the alerts seeded: default 100,000).
import { benchQueueCeiling } from './ceiling.js';
import { benchClassification } from './classify.js';
import { benchPostgresFloor } from './postgres-floor.js';
import { benchReports } from './reports.js';
import { cpus, loadavg } from 'node:os';
import { benchSoak } from './soak.js';
import { benchWebhookThroughput, benchWebhookToCard } from './webhooks.js';
import { benchEscalationLateness, benchLatency, benchThroughput } from './workflow.js';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const count = (name: string, fallback: number, min: number) => {
  const value = flag(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`${name}: must be an integer ≥ ${min} (got "${value}")`);
    process.exit(2);
  }
  return n;
};
const quick = args.includes('--quick');
const only = flag('--backend');
const part = flag('--only');
const workers = count('--workers', 0, 0);
const burst = count('--alerts', quick ? 500 : 2_000, 1);
const backends = (['redis', 'postgres'] as const).filter((b) => !only || b === only);
if (part && !['classify', 'workflow', 'throughput', 'latency', 'soak', 'ceiling', 'floor', 'webhooks', 'reports'].includes(part)) {
  console.error(`--only: must be classify, workflow, throughput, latency, soak, ceiling, floor, webhooks or reports (got "${part}")`);
  process.exit(2);
}

if (!part || part === 'classify') {
  console.log('== classification and routing of one message, 50,000-place gazetteer (npx tsx bench/classify.ts)');
  const figures = await benchClassification();
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(20)} ${value}`);
}
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

const throughput = async (backend: 'redis' | 'postgres') => {
  const { cold, warm, workerProcesses } = await benchThroughput(backend, burst, { workers });
  const processes =
    workers > 0
      ? `${workerProcesses} worker process${workerProcesses > 1 ? 'es' : ''}, role worker; intake in a role web process`
      : '1 worker process, role all';
  for (const [when, f] of [
    ['a fresh process', cold],
    ['the same process, warm', warm],
  ] as const) {
    console.log(
      `throughput, intake → notified (${burst} alerts, ${processes}), ${when}: ${fmt(f.alertsPerSecond)} alerts/s (all taken in after ${f.intakeSeconds.toFixed(2)} s; machine CPU ${f.cpuMsPerAlert.toFixed(2)} ms per alert)`,
    );
  }
};

for (const backend of part === 'throughput' ? backends : []) {
  console.log(
    `\n== throughput on the ${backend} queue backend (npx tsx bench/run.ts --only throughput --backend ${backend}${workers ? ` --workers ${workers}` : ''})`,
  );
  await throughput(backend);
}

for (const backend of part === 'soak' ? backends : []) {
  const minutes = count('--minutes', 30, 1);
  const rate = count('--rate', 20, 1);
  console.log(
    `\n== soak on the ${backend} queue backend (npx tsx bench/run.ts --only soak --backend ${backend} --minutes ${minutes} --rate ${rate}), load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  );
  const figures = await benchSoak(backend, {
    minutes,
    rate,
    print: (m) =>
      console.log(
        `minute ${String(m.minute).padStart(3)}: RSS ${m.rssMb.toFixed(0)} MB, heap ${m.heapMb.toFixed(0)} MB, event-loop delay p99 ${m.loopDelayP99Ms.toFixed(1)} ms, ${m.warnings} warnings in, ${m.alerts} alerts, ${m.acks} acks, ${m.replies} replies and resolutions, ${m.errors} errors; load average ${loadavg()[0]!.toFixed(1)}`,
      ),
  });
  const after5 = figures.filter((m) => m.minute >= 5);
  if (after5.length > 1) {
    const growth = (after5.at(-1)!.rssMb / after5[0]!.rssMb - 1) * 100;
    console.log(
      `soak, ${backend}: RSS ${after5[0]!.rssMb.toFixed(0)} MB at minute 5, ${after5.at(-1)!.rssMb.toFixed(0)} MB at minute ${after5.at(-1)!.minute} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%, goal ≤ +10%); errors ${figures.reduce((a, m) => a + m.errors, 0)} (goal 0)`,
    );
  }
}

for (const backend of part === 'latency' ? backends : []) {
  const rate = count('--rate', 100, 1);
  const seconds = count('--seconds', 10, 1);
  console.log(
    `\n== latency on the ${backend} queue backend (npx tsx bench/run.ts --only latency --backend ${backend} --rate ${rate} --seconds ${seconds}), load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  );
  const { cold, warm } = await benchLatency(backend, rate, seconds);
  console.log(
    `latency, intake → officer card sent at ${rate} alerts/s: first ${seconds} s from a cold start p50 ${fmt(cold.p50)} ms, p99 ${fmt(cold.p99)} ms (${cold.count} cards); next ${seconds} s p50 ${fmt(warm.p50)} ms, p99 ${fmt(warm.p99)} ms (${warm.count} cards)`,
  );
}

for (const backend of !part || part === 'workflow' ? backends : []) {
  console.log(`\n== workflow on the ${backend} queue backend`);
  await throughput(backend);
  const seconds = quick ? 5 : 10;
  for (const rate of [100, 20]) {
    const { cold, warm } = await benchLatency(backend, rate, seconds);
    console.log(
      `latency, intake → officer card sent at ${rate} alerts/s: first ${seconds} s from a cold start p50 ${fmt(cold.p50)} ms, p99 ${fmt(cold.p99)} ms (${cold.count} cards); next ${seconds} s p50 ${fmt(warm.p50)} ms, p99 ${fmt(warm.p99)} ms (${warm.count} cards)`,
    );
  }
  const timers = quick ? 2_000 : 10_000;
  for (const [due, spread] of quick
    ? [[200, 10]]
    : [
        [600, 30],
        [3_000, 30],
      ]) {
    const lateness = await benchEscalationLateness(backend, timers, due!, spread!);
    console.log(
      `escalation lateness, ${timers} pending timers, ${due} firing over ${spread} s (${(due! / spread!).toFixed(0)}/s): p50 ${fmt(lateness.p50)} ms, p99 ${fmt(lateness.p99)} ms (${lateness.fired} fired)`,
    );
  }
}

for (const backend of !part || part === 'webhooks' ? backends : []) {
  console.log(`\n== channels on the ${backend} queue backend (npx tsx bench/run.ts --only webhooks --backend ${backend})`);
  const seconds = quick ? 5 : 10;
  for (const role of ['web', 'all'] as const) {
    const w = await benchWebhookThroughput(backend, role, seconds);
    console.log(
      `signed Twilio webhooks, role ${role}, 32 connections for ${seconds} s: ${fmt(w.requestsPerSecond)} req/s, p50 ${fmt(w.p50)} ms, p99 ${fmt(w.p99)} ms (${w.total} answered 200, ${w.stored} stored, ${w.non2xx} non-2xx, ${w.errors} errors)`,
    );
  }
  for (const rate of [100, 20, 10]) {
    const latency = await benchWebhookToCard(backend, rate, seconds);
    console.log(
      `latency, Twilio webhook → officer's card at the Telegram API, ${rate} messages/s for ${seconds} s: p50 ${fmt(latency.p50)} ms, p99 ${fmt(latency.p99)} ms (${latency.count} of ${latency.total} cards)`,
    );
  }
}
for (const backend of !part || part === 'ceiling' ? backends : []) {
  console.log(
    `\n== BullMQ's own ceiling on the ${backend} queue backend, no-op processors (npx tsx bench/run.ts --only ceiling --backend ${backend})`,
  );
  const c = await benchQueueCeiling(backend, burst);
  console.log(`queue ceiling, ${backend}: ${fmt(c.alertsPerSecond)} alerts/s (${fmt(c.jobsPerSecond)} jobs processed/s), ${c.alerts} alerts`);
}

if (!part || part === 'floor') {
  console.log('\n== PostgreSQL alone, pgbench with 16 clients, no Node and no queue (npx tsx bench/run.ts --only floor)');
  for (const [script, what] of [
    ['alert-writes-burst', "the workflow's statements for 50 new warnings taken in together (bench/sql/alert-writes-burst.sql)"],
    ['alert-writes', "the workflow's statements for one new warning alone (bench/sql/alert-writes.sql)"],
    ['alert-writes-minimal', 'the least any implementation must write, one statement per commit (bench/sql/alert-writes-minimal.sql)'],
  ] as const) {
    const floor = await benchPostgresFloor(quick ? 5 : 15, 16, script);
    console.log(`${what}: ${fmt(floor.alertsPerSecond)} alerts/s`);
  }
}
if (!part || part === 'reports') {
  const alerts = count('--alerts', quick ? 20_000 : 100_000, 1);
  console.log(`\n== reports on ${alerts.toLocaleString('en-US')} alerts over three years (npx tsx bench/run.ts --only reports)`);
  const r = await benchReports(alerts);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const runs = (t: { wallMs: number; dbCpuMs: number }[]) =>
    `first ${fmt(t[0]!.wallMs)} ms, then median ${fmt(median(t.slice(1).map((x) => x.wallMs)))} ms wall; database CPU median ${fmt(median(t.map((x) => x.dbCpuMs)))} ms`;
  console.log(`seeded ${alerts.toLocaleString('en-US')} alerts and ${r.events.toLocaleString('en-US')} events in ${r.seedSeconds.toFixed(1)} s`);
  console.log(`response report by office and month, one year (${r.responseRows} rows): ${runs(r.response)} (goal ≤ 500 ms)`);
  console.log(`seasonal report by admin2, three years (${r.seasonalRows} rows): ${runs(r.seasonal)} (goal ≤ 500 ms)`);
  console.log(
    `CSV export with HXL by the command line, ${r.exportedAlerts.toLocaleString('en-US')} alerts (${r.exportMb.toFixed(1)} MB): ${r.exportSeconds.toFixed(2)} s including start-up (goal ≤ 10 s), peak RSS ${r.exportPeakRssMb.toFixed(0)} MB (goal ≤ 200 MB)`,
  );
  console.log(
    `(load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${cpus().length} CPUs)`,
  );
}
process.exit(0);
