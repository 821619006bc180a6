import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'bullmq';
import { createQueueBackend } from '../../src/workflows/queue/backend.js';
import { createQueues, type Queues } from '../../src/workflows/queue/queues.js';
import { freshDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/tamtam.js';

/**
 * On the PostgreSQL queue backend, finished jobs are not trimmed as each one completes (too dear
 * there: queues.ts, onBackend) but by the reconciler's `trimFinished`: a finished job is kept its
 * queue's hour, so the same work added again meanwhile is still taken for a duplicate, and is
 * deleted after it, so the queue's table does not grow without end.
 */
describe('finished jobs on the postgres queue backend', () => {
  let queues: Queues;
  let worker: Worker;
  let db: pg.Client;
  let drop: () => Promise<void>;
  const runs: string[] = [];
  const send = (id: number) => ({ name: 'send' as const, data: { outboundIds: [id], channel: 'simulator' as const } });
  const stateOf = async (id: number) => (await queues.get('outbound-simulator').getJob(`inc-send-${id}`))?.getState();

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    db = new pg.Client({ connectionString: fresh.url });
    await db.connect();
    queues = createQueues(createQueueBackend({ databaseUrl: fresh.url, namespace: 'finished' }), { jobIdPrefix: 'inc' });
    worker = queues.backend.createWorker('outbound-simulator', async (job) => void runs.push(job.id!), { concurrency: 1 });
  });
  afterAll(async () => {
    await worker.close();
    await queues.close();
    await queues.backend.close();
    await db.end();
    await drop();
  });

  it('keeps a finished job for its hour (the same work added again does not run twice), then deletes it', async () => {
    await queues.addMany([send(1), send(2)]);
    await eventually(async () => ((await stateOf(1)) === 'completed' && (await stateOf(2)) === 'completed') || undefined, {
      what: 'both jobs completed',
    });
    // Both still there after completing: added again, neither runs a second time.
    await queues.addMany([send(1), send(2)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(runs.sort()).toEqual(['inc-send-1', 'inc-send-2']);

    // The first finished two hours ago: the next trim deletes it and only it.
    await db.query(`update finished.job set finished_at_ms = finished_at_ms - 2 * 3600 * 1000 where id = 'inc-send-1'`);
    expect(await queues.trimFinished()).toBe(1);
    expect(await stateOf(1)).toBeUndefined();
    expect(await stateOf(2)).toBe('completed');
    expect(await queues.trimFinished()).toBe(0);
  });
});
