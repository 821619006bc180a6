import { describe, expect, it } from 'vitest';
import { createAlert } from '../../src/db/alerts.js';
import { createOutbox, insertOutbound } from '../../src/db/outbox.js';
import { useFreshDatabase } from '../helpers/database.js';

// Concurrent send jobs share the outbox's statements; what each job sees and records must be
// exactly what it would alone: its own row, its own outcome, one event per message sent.
describe('the outbox shared by send jobs', () => {
  const db = useFreshDatabase();

  it('gives each job its message and records each outcome once, with its event', async () => {
    const alert = await db().db.transaction((tx) =>
      createAlert(tx, { text: 'Tirs à Mopti', channel: 'simulator', focalPointId: null, language: null, actor: 'system' }),
    );
    const queued = await insertOutbound(
      db().db,
      ['o-1', 'o-2', 'o-3'].map((id) => ({
        alertId: alert.id,
        channel: 'simulator',
        recipient: `officer:${id}`,
        toEnc: 'sealed',
        purpose: 'card',
        body: `card for ${id}`,
        dedupeKey: `t:${id}`,
      })),
    );
    const outbox = createOutbox(db().db);
    const rows = await Promise.all([...queued.map((q) => outbox.get(q.id)), outbox.get(999_999)]);
    expect(rows.map((r) => r?.body ?? null)).toEqual(['card for o-1', 'card for o-2', 'card for o-3', null]);

    const [a, b, aAgain, c] = await Promise.all([
      outbox.recordOutcome({
        id: queued[0]!.id,
        status: 'sent',
        providerMessageId: 'p-1',
        attempts: 1,
        event: { type: 'notification_sent', data: { attempt: 1 } },
      }),
      outbox.recordOutcome({
        id: queued[1]!.id,
        status: 'failed',
        attempts: 8,
        error: 'blocked',
        event: { type: 'notification_failed', data: { attempt: 8, error: 'blocked' } },
      }),
      // A duplicate job for the first message, in the same batch: it records nothing.
      outbox.recordOutcome({
        id: queued[0]!.id,
        status: 'sent',
        providerMessageId: 'p-1b',
        attempts: 1,
        event: { type: 'notification_sent', data: { attempt: 1 } },
      }),
      outbox.recordOutcome({
        id: queued[2]!.id,
        status: 'sent',
        providerMessageId: 'p-3',
        attempts: 2,
        event: { type: 'notification_sent', data: { attempt: 2 } },
      }),
    ]);
    expect([a, b, aAgain, c]).toEqual([true, true, false, true]);
    // Later, too: a message already sent is not sent twice.
    expect(await outbox.recordOutcome({ id: queued[2]!.id, status: 'sent', attempts: 3, event: { type: 'notification_sent', data: {} } })).toBe(
      false,
    );

    const { rows: messages } = await db().pool.query(`select recipient, status, attempts, error from outbound_messages order by id`);
    expect(messages).toEqual([
      { recipient: 'officer:o-1', status: 'sent', attempts: 1, error: null },
      { recipient: 'officer:o-2', status: 'failed', attempts: 8, error: 'blocked' },
      { recipient: 'officer:o-3', status: 'sent', attempts: 2, error: null },
    ]);
    const { rows: events } = await db().pool.query(
      `select type, data->>'recipient' as recipient from alert_events where type like 'notification_%' order by data->>'recipient'`,
    );
    expect(events).toEqual([
      { type: 'notification_sent', recipient: 'officer:o-1' },
      { type: 'notification_failed', recipient: 'officer:o-2' },
      { type: 'notification_sent', recipient: 'officer:o-3' },
    ]);
  });

  // The messages were sent: if their shared statement fails, each outcome is written alone, so
  // one bad outcome does not fail the others' jobs (which would send them again).
  it('records the outcomes it can when one of a batch cannot be written', async () => {
    const queued = await insertOutbound(
      db().db,
      ['r-1', 'r-2', 'r-3'].map((id) => ({
        alertId: null,
        channel: 'simulator',
        recipient: `reporter:${id}`,
        toEnc: 'sealed',
        purpose: 'confirmation',
        body: 'Merci',
        dedupeKey: `u:${id}`,
      })),
    );
    const outbox = createOutbox(db().db);
    const sent = (id: number, attempts: number) =>
      outbox.recordOutcome({ id, status: 'sent', providerMessageId: `p-${id}`, attempts, event: { type: 'message_sent', data: {} } });
    // An attempt count beyond PostgreSQL's integer: that outcome cannot be written.
    const results = await Promise.allSettled([sent(queued[0]!.id, 1), sent(queued[1]!.id, 2 ** 40), sent(queued[2]!.id, 1)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const { rows } = await db().pool.query(`select recipient, status from outbound_messages where purpose = 'confirmation' order by id`);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['sent', 'queued', 'sent']);
  });
});
