import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { responseReport } from '../../src/db/response-report.js';
import { actOnAlert } from '../../src/workflows/officers/actions.js';
import { eventsOf } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

/**
 * An alert acknowledged while still `new` (the queue behind, an officer on the board) is judged
 * against the deadline its notification would have set from its creation: an hour late is not in
 * time, however late the notification would have come.
 */
describe.each(queueBackends)('an alert acknowledged before it was notified, on the %s backend', (backend) => {
  let app: TestTamtam | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('records the deadline it would have had, and the report judges it by that', async () => {
    const t = (app = await startTestTamtam({ backend, deployment: testDeployment({ ackTimeout: '5m' }) }));
    // Routed to Mopti but never notified: one an hour old, one just in.
    const insert = async (ref: string, age: string) =>
      (
        await t.deps.db.execute<{ id: number; created_at: string }>(
          sql`insert into alerts (ref, text, channel, status, office_id, severity, threat_type, created_at)
              values (${ref}, 'Hommes armés près de Mopti', 'sms', 'new', 'mopti', 'high', 'armed_group_presence', now() - ${age}::interval)
              returning id, created_at`,
        )
      ).rows[0]!;
    const [late, early] = [await insert('LATE1', '1 hour'), await insert('EARLY', '1 minute')];
    for (const alert of [late, early]) {
      expect((await actOnAlert(t.deps, { alert: { id: alert.id }, officerId: 'o-diallo', action: 'acknowledge' })).outcome).toBe('done');
    }
    const acknowledged = (await eventsOf(t, late.id)).find((e) => e.type === 'acknowledged')!;
    expect(new Date(acknowledged.data.deadline as string).getTime()).toBe(new Date(late.created_at).getTime() + 5 * 60_000);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const { total } = await responseReport(t.deps.db, { from: yesterday, to: tomorrow, timezone: 'UTC', by: [] });
    expect(total).toMatchObject({ received: 2, acknowledged: 2, acknowledgedInTime: 1 });
  });
});
