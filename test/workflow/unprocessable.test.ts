import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { insertInbounds } from '../../src/db/inbound.js';
import { inboundMessages } from '../../src/db/schema/index.js';
import { createIntake } from '../../src/workflows/alerts/intake.js';
import { reportAndWaitNotified } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

const officerTelegramId = 111111;
const deployment = testDeployment({ ackTimeout: '1h' }).replace(
  'role: officer, phone: "+22370000001"',
  `role: officer, telegramId: ${officerTelegramId}, phone: "+22370000001"`,
);

describe.each(queueBackends)('a message that can never be processed, on the %s backend', (backend) => {
  let app: TestTamtam | undefined;
  const logs: string[] = [];
  let closeAfter: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await closeAfter?.();
    closeAfter = undefined;
    await app?.stop();
    app = undefined;
    logs.length = 0;
  });
  const start = async () =>
    (app = await startTestTamtam({ backend, deployment, logLines: logs, start: { workers: { reconcile: { everyMs: 500, staleAfterMs: 200 } } } }));
  const rowOf = async (t: TestTamtam, id: number) => (await t.deps.db.select().from(inboundMessages).where(eq(inboundMessages.id, id)))[0]!;
  const logged = (what: string) => logs.filter((l) => l.includes(what)).map((l) => JSON.parse(l) as Record<string, unknown>);
  /** The reconciler has run a few times since (every 500 ms, messages stale after 200 ms). */
  const reconcilerRuns = () => new Promise((r) => setTimeout(r, 2_000));

  it('an officer update whose text is a number is parked at once, shown to admins, logged once and never retried', async () => {
    const t = await start();
    // Stored as it was before the webhook checked updates: the officer features read `text` as a string.
    const intake = createIntake({ db: t.deps.db, pii: t.deps.pii, queues: t.deps.queues, log: t.deps.log });
    const update = {
      update_id: 880001,
      message: {
        message_id: 5,
        from: { id: officerTelegramId, is_bot: false, first_name: 'A' },
        chat: { id: officerTelegramId, type: 'private' },
        date: 1764567000,
        text: 3.5,
      },
    };
    await intake({
      channel: 'telegram',
      providerMessageId: '880001',
      from: String(officerTelegramId),
      text: '3.5',
      receivedAt: new Date(),
      meta: { update },
    });
    const { id } = (
      await t.deps.db.select({ id: inboundMessages.id }).from(inboundMessages).where(eq(inboundMessages.providerMessageId, '880001'))
    )[0]!;
    const parked = await eventually(async () => ((await rowOf(t, id)).outcome === 'unprocessable' ? rowOf(t, id) : undefined), {
      what: 'the message parked',
    });
    expect(parked.unprocessableReason).toBe('not a readable Telegram update: message.text: Invalid input: expected string, received number');

    // The next warning goes through as usual.
    await reportAndWaitNotified(t, '+22376100001', 'Hommes armés vus près de Mopti');

    const listed = await (await t.api('/api/inbound/unprocessable')).json();
    expect(listed).toEqual([
      { id, channel: 'telegram', receivedAt: expect.any(String), parkedAt: expect.any(String), reason: parked.unprocessableReason },
    ]);
    expect(JSON.stringify(listed)).not.toContain(String(officerTelegramId));
    expect((await fetch(`${t.url}/api/inbound/unprocessable`)).status).toBe(401);

    await reconcilerRuns();
    expect(await rowOf(t, id)).toEqual(parked);
    expect(logged('inbound message unprocessable')).toHaveLength(1);
    expect(logged('inbound message unprocessable')[0]).toMatchObject({ inboundId: id, channel: 'telegram', reason: parked.unprocessableReason });
    expect(logged('job failed')).toEqual([]);
    expect(logged('reconciler re-enqueued lost work')).toEqual([]);
  });

  it('a message that fails on every attempt is parked after its last one; the reconciler leaves it alone', async () => {
    const t = await start();
    // A row whose sender cannot be decrypted (a corrupted row, a key that changed): nothing a retry can mend.
    // In the same job as a good warning, which goes through on the first attempt all the same.
    const good = '+22376100003';
    const [inserted, goodId] = await insertInbounds(t.deps.db, [
      {
        channel: 'sms',
        providerMessageId: 'SMpoisoned',
        fromHash: 'h',
        fromEnc: 'not-sealed',
        text: 'Hommes armés',
        meta: {},
        receivedAt: new Date(),
      },
      {
        channel: 'simulator',
        providerMessageId: 'sim-good',
        fromHash: t.deps.pii.hash(`phone:${good}`),
        fromEnc: t.deps.pii.encrypt(good),
        text: 'Hommes armés vus près de Mopti',
        meta: {},
        receivedAt: new Date(),
      },
    ]);
    const id = inserted!;
    const queue = t.deps.queues.backend.createQueue('inbound', {});
    closeAfter = () => queue.close();
    await queue.add('inbound', { inboundIds: [id, goodId!] }, { jobId: `inbound-${id}`, attempts: 2, backoff: { type: 'fixed', delay: 100 } });

    const parked = await eventually(async () => ((await rowOf(t, id)).outcome === 'unprocessable' ? rowOf(t, id) : undefined), {
      what: 'the message parked',
    });
    expect(parked.unprocessableReason).toMatch(/^failed on every attempt \(2\): /);
    // The first failure was an ordinary one (retried, logged as such); the last parked it.
    expect(logged('inbound message failed')).toHaveLength(1);
    expect(logged('job failed')).toHaveLength(1);
    expect(logged('inbound message unprocessable')).toHaveLength(1);

    expect(await rowOf(t, goodId!)).toMatchObject({ outcome: 'alert' });
    await reportAndWaitNotified(t, '+22376100002', 'Hommes armés vus près de Mopti');
    await reconcilerRuns();
    expect(await rowOf(t, id)).toEqual(parked);
    expect(logged('reconciler re-enqueued lost work')).toEqual([]);
    expect((await (await t.api('/api/inbound/unprocessable')).json()) as unknown[]).toHaveLength(1);
  });
});
