import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/channels/channel.js';
import { alertRows } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

/**
 * A message the provider accepted, whose outcome PostgreSQL failed to record just then: the send
 * job is retried, and the retry records it with the provider's id instead of sending it again (no
 * officer gets the card twice, no SMS fallback for a card that went out).
 */
describe.each(queueBackends)('a message sent but not recorded, on the %s backend', (backend) => {
  let app: TestTamtam | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('is recorded by the retry, not sent again', async () => {
    const t = (app = await startTestTamtam({ backend, deployment: testDeployment({ ackTimeout: '1h' }) }));
    const simulator = t.deps.channels.get('simulator') as Channel;
    const sends = new Map<number, number>();
    const send = simulator.send.bind(simulator);
    simulator.send = (message) => {
      sends.set(message.id, (sends.get(message.id) ?? 0) + 1);
      return send(message);
    };
    const recordOutcome = t.deps.outbox.recordOutcome.bind(t.deps.outbox);
    let failedOnce = false;
    t.deps.outbox.recordOutcome = async (outcome) => {
      if (!failedOnce && outcome.status === 'sent') {
        failedOnce = true;
        throw new Error('Connection terminated unexpectedly');
      }
      return recordOutcome(outcome);
    };
    await t.send('+22376960001', 'Hommes armés près de Mopti, ils tirent');
    const alert = await eventually(async () => (await alertRows(t)).find((a) => a.status === 'notified'), { what: 'the alert' });
    const rows = await eventually(
      async () => {
        const { rows } = await t.deps.db.execute<{ id: number; status: string; provider_message_id: string | null }>(
          sql`select id, status, provider_message_id from outbound_messages where alert_id = ${alert.id} order by id`,
        );
        return rows.length > 0 && rows.every((r) => r.status === 'sent') ? rows : undefined;
      },
      { what: 'every message recorded as sent' },
    );
    expect(failedOnce).toBe(true);
    for (const row of rows) expect(sends.get(Number(row.id)), `outbound ${row.id}`).toBe(1);
    const { rows: failures } = await t.deps.db.execute(sql`select 1 from alert_events where alert_id = ${alert.id} and type like '%failed'`);
    expect(failures).toEqual([]);
  });
});
