import type { FastifyInstance } from 'fastify';
import { acknowledgeLatency, countAlertsByStatus, countEscalations, pingDatabase } from '../db/alert-lists.js';
import type { Db } from '../db/index.js';
import { alertStatuses } from '../domain/taxonomy.js';
import type { Queues } from '../workflows/queue/queues.js';
import { renderResponseMetrics } from './response-metrics.js';

/** Acknowledge latency buckets, seconds. */
const ackBuckets = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400];

/**
 * Prometheus metrics, computed from PostgreSQL (the truth, shared by every process) and the
 * queues at scrape time, so web and worker processes report the same figures.
 */
export async function renderMetrics(db: Db, queues: Queues): Promise<string> {
  const [byStatus, counts, escalations, ack, response] = await Promise.all([
    countAlertsByStatus(db),
    queues.counts(),
    countEscalations(db),
    acknowledgeLatency(db, ackBuckets),
    renderResponseMetrics(db, new Date()),
  ]);
  const lines = [
    '# HELP tamtam_alerts Alerts by status.',
    '# TYPE tamtam_alerts gauge',
    ...alertStatuses.map((s) => `tamtam_alerts{status="${s}"} ${byStatus[s] ?? 0}`),
    '# HELP tamtam_queue_jobs Jobs in each queue by state.',
    '# TYPE tamtam_queue_jobs gauge',
    ...Object.entries(counts).flatMap(([queue, states]) =>
      Object.entries(states).map(([state, n]) => `tamtam_queue_jobs{queue="${queue}",state="${state}"} ${n}`),
    ),
    '# HELP tamtam_escalations_total Escalations to a further level since the database was created.',
    '# TYPE tamtam_escalations_total counter',
    `tamtam_escalations_total ${escalations}`,
    '# HELP tamtam_acknowledge_latency_seconds Time from intake to the first acknowledgement.',
    '# TYPE tamtam_acknowledge_latency_seconds histogram',
  ];
  const a = ack;
  for (const b of ackBuckets) lines.push(`tamtam_acknowledge_latency_seconds_bucket{le="${b}"} ${a[`le_${b}`] ?? 0}`);
  lines.push(`tamtam_acknowledge_latency_seconds_bucket{le="+Inf"} ${a.count ?? 0}`);
  lines.push(`tamtam_acknowledge_latency_seconds_sum ${a.sum ?? 0}`, `tamtam_acknowledge_latency_seconds_count ${a.count ?? 0}`);
  lines.push(...response);
  return `${lines.join('\n')}\n`;
}

/** How long a readiness check may take before its dependency counts as down. */
const readinessTimeoutMs = 2_000;

/** Resolves 'ok' if `check` answers in time, else 'down'; the reason stays out of the answer (it is internal). */
async function readiness(check: () => Promise<unknown>): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => (timer = setTimeout(() => resolve('down'), readinessTimeoutMs)));
  try {
    return await Promise.race([
      check().then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(app: FastifyInstance, { db, queues }: { db: Db; queues: Queues }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Public: says which dependency is down, never why (addresses and errors are for the logs).
  app.get('/readyz', async (_request, reply) => {
    const [database, queue] = await Promise.all([readiness(() => pingDatabase(db)), readiness(() => queues.get('inbound').getJobCounts('wait'))]);
    const ok = database === 'ok' && queue === 'ok';
    return reply.code(ok ? 200 : 503).send({ ok, status: ok ? 'ready' : 'not ready', database, queue, queueBackend: queues.backend.kind });
  });
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4').send(await renderMetrics(db, queues)));
}
