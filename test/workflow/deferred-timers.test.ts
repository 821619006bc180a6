import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueueBackend } from '../../src/workflows/queue/backend.js';
import { createQueues, type Queues } from '../../src/workflows/queue/queues.js';
import { freshDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/tamtam.js';

/**
 * On the PostgreSQL queue backend, escalation timers a minute or more away are added together a
 * moment later (queues.ts, deferDelayedFromMs). A timer removed or promoted in that moment (an
 * officer corrected the severity or the office, or escalated at once) must not come back when the
 * deferred ones are added.
 */
describe('escalation timers added together on the postgres queue backend', () => {
  let queues: Queues;
  let drop: () => Promise<void>;
  const settle = () => new Promise((r) => setTimeout(r, 600));
  const timer = (alertId: number) => ({ name: 'escalate' as const, data: { alertId, seq: 1 }, options: { delay: 10 * 60_000 } });
  const stored = (alertId: number) => queues.get('escalation').getJob(`inc-escalate-${alertId}-1`);

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    queues = createQueues(createQueueBackend({ databaseUrl: fresh.url, namespace: 'deferred' }), { jobIdPrefix: 'inc' });
  });
  afterAll(async () => {
    await queues.close();
    await queues.backend.close();
    await drop();
  });

  it('adds a far timer a moment later, its delay shortened by the wait', async () => {
    await queues.addMany([timer(1)]);
    expect(await stored(1)).toBeUndefined();
    const job = await eventually(() => stored(1), { what: 'the timer added' });
    expect(await job.getState()).toBe('delayed');
    expect(job!.opts.delay).toBeLessThanOrEqual(10 * 60_000);
    expect(job!.opts.delay).toBeGreaterThan(10 * 60_000 - 5_000);
  });

  it('does not add a timer removed before it was added', async () => {
    await queues.addMany([timer(2), timer(3)]);
    expect(await queues.remove('escalate', { alertId: 2, seq: 1 })).toBe(true);
    // Added together: once the other one is there, the removed one would be too.
    expect(await (await eventually(() => stored(3), { what: 'the other timer added' })).getState()).toBe('delayed');
    expect(await stored(2)).toBeUndefined();
  });

  it('runs a timer promoted before it was added now, and adds it only once', async () => {
    await queues.addMany([timer(4)]);
    await queues.promote('escalate', { alertId: 4, seq: 1 });
    expect(await (await stored(4))?.getState()).toBe('waiting');
    await settle();
    expect(await queues.get('escalation').getJobCounts('waiting', 'delayed')).toEqual({ waiting: 1, delayed: 2 });
  });
});
