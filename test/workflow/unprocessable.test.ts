import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { insertInbounds, parkInbound } from '../../src/db/inbound.js';
import { alerts, inboundMessages } from '../../src/db/schema/index.js';
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
    // Never re-enqueued as lost inbound work. (On a loaded machine the next warning's sends can
    // outlast the 200 ms this test's reconciler waits; re-sending them is not what is tested here.)
    expect(logged('reconciler re-enqueued lost work').filter((l) => l.inbound !== 0)).toEqual([]);
  });

  it('a message that fails on every attempt is parked after its last one; the reconciler leaves it alone', async () => {
    const t = await start();
    // A row whose sender cannot be decrypted (a corrupted row, a key that changed): nothing a retry can mend.
    // In the same job as a good warning, which goes through on the first attempt all the same.
    const good = '+22376100003';
    // Ready before the messages are stored: the job is added right after them, before the
    // reconciler (messages stale after 200 ms here) could take them for lost.
    const queue = t.deps.queues.backend.createQueue('inbound', {});
    closeAfter = () => queue.close();
    await queue.waitUntilReady();
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
    expect(logged('reconciler re-enqueued lost work').filter((l) => l.inbound !== 0)).toEqual([]);
    expect((await (await t.api('/api/inbound/unprocessable')).json()) as unknown[]).toHaveLength(1);
  });
  /** A warning from the simulator, stored as the intake stores it, and its job with 2 quick attempts. */
  const warningWithQuickJob = async (t: TestTamtam, from: string, text: string, providerMessageId: string) => {
    // Ready before the messages are stored: the job is added right after them, before the
    // reconciler (messages stale after 200 ms here) could take them for lost.
    const queue = t.deps.queues.backend.createQueue('inbound', {});
    closeAfter = () => queue.close();
    await queue.waitUntilReady();
    const [id] = await insertInbounds(t.deps.db, [
      {
        channel: 'simulator',
        providerMessageId,
        fromHash: t.deps.pii.hash(`phone:${from}`),
        fromEnc: t.deps.pii.encrypt(from),
        text,
        meta: {},
        receivedAt: new Date(),
      },
    ]);
    await queue.add('inbound', { inboundIds: [id!] }, { jobId: `inbound-${id}`, attempts: 2, backoff: { type: 'fixed', delay: 100 } });
    return { id: id!, queue };
  };
  /** The warning's alert, once its card has gone out to an officer. */
  const cardSent = (t: TestTamtam, id: number) =>
    eventually(
      async () => {
        const { alertId } = await rowOf(t, id);
        if (!alertId) return undefined;
        const cards = (await t.outbox()).filter((m) => m.alertId === alertId && m.purpose !== 'confirmation');
        return cards.length > 0 ? cards : undefined;
      },
      { what: "the warning's card sent", timeout: 20_000 },
    );

  it('a warning failing for a transient reason on every attempt is not parked: taken again once the cause is gone, and its card goes out', async () => {
    const t = await start();
    // PostgreSQL refuses new alerts as it does while starting up (SQLSTATE 57P03) for as long as the trigger stands.
    await t.deps.db.execute(
      sql.raw(`create function refuse_alerts() returns trigger language plpgsql as $$ begin
        raise exception 'the database system is starting up' using errcode = '57P03'; end $$`),
    );
    await t.deps.db.execute(sql.raw('create trigger refuse_alerts before insert on alerts for each row execute function refuse_alerts()'));
    const { id, queue } = await warningWithQuickJob(t, '+22376100004', 'Des hommes armés encerclent le village près de Mopti', 'sim-transient');
    await eventually(async () => (await (await queue.getJob(`inbound-${id}`))?.getState()) === 'failed', { what: 'its job failed for good' });
    await reconcilerRuns();
    // Still unprocessed: not parked, not listed.
    expect(await rowOf(t, id)).toMatchObject({ processedAt: null, outcome: null, unprocessableReason: null });
    expect(await (await t.api('/api/inbound/unprocessable')).json()).toEqual([]);
    expect(logged('inbound message unprocessable')).toEqual([]);

    await t.deps.db.execute(sql.raw('drop trigger refuse_alerts on alerts'));
    await cardSent(t, id);
    expect(await rowOf(t, id)).toMatchObject({ outcome: 'alert' });
    expect(await t.deps.db.select().from(alerts)).toHaveLength(1);
    expect(logged('inbound message unprocessable')).toEqual([]);
  }, 60_000);

  it('an admin re-queues a parked warning: it becomes an alert, its card goes out, and it leaves the list', async () => {
    const t = await start();
    // Parked as the code before this fix parked a warning whose attempts were spent on an outage.
    const [id] = await insertInbounds(t.deps.db, [
      {
        channel: 'simulator',
        providerMessageId: 'sim-parked',
        fromHash: t.deps.pii.hash('phone:+22376100005'),
        fromEnc: t.deps.pii.encrypt('+22376100005'),
        text: 'Enlèvement de deux personnes à Mopti',
        meta: {},
        receivedAt: new Date(),
      },
    ]);
    expect(await parkInbound(t.deps.db, id!, 'failed on every attempt (12): Connection terminated unexpectedly')).toBe(true);
    expect(((await (await t.api('/api/inbound/unprocessable')).json()) as { id: number }[]).map((m) => m.id)).toEqual([id]);

    const retry = (path: string, auth = true) => (auth ? t.api(path, { method: 'POST' }) : fetch(`${t.url}${path}`, { method: 'POST' }));
    expect((await retry(`/api/inbound/unprocessable/${id}/retry`, false)).status).toBe(401);
    expect((await retry('/api/inbound/unprocessable/abc/retry')).status).toBe(400);
    expect((await retry(`/api/inbound/unprocessable/${id! + 1000}/retry`)).status).toBe(404);
    const response = await retry(`/api/inbound/unprocessable/${id}/retry`);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ id, retried: true });

    await cardSent(t, id!);
    expect(await rowOf(t, id!)).toMatchObject({ outcome: 'alert', unprocessableReason: null });
    expect(await (await t.api('/api/inbound/unprocessable')).json()).toEqual([]);
    // Retried once: a second request finds nothing parked.
    expect((await retry(`/api/inbound/unprocessable/${id}/retry`)).status).toBe(404);
    expect(await t.deps.db.select().from(alerts)).toHaveLength(1);
  });

  it('a poison message retried by an admin is parked again after that one attempt', async () => {
    const t = await start();
    const [id] = await insertInbounds(t.deps.db, [
      {
        channel: 'sms',
        providerMessageId: 'SMpoison2',
        fromHash: 'h2',
        fromEnc: 'not-sealed',
        text: 'Hommes armés',
        meta: {},
        receivedAt: new Date(),
      },
    ]);
    expect(await parkInbound(t.deps.db, id!, 'failed on every attempt (12): unreadable sender')).toBe(true);
    expect((await t.api(`/api/inbound/unprocessable/${id}/retry`, { method: 'POST' })).status).toBe(202);
    await eventually(
      async () => (await rowOf(t, id!)).unprocessableReason?.startsWith('failed on every attempt (1)') && (await rowOf(t, id!)).processedAt !== null,
      {
        what: 'parked again',
        timeout: 30_000,
      },
    );
  }, 40_000);
});
