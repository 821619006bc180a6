import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/channels/channel.js';
import type { Job } from 'bullmq';
import { getInboundsWithSenders } from '../../src/db/inbound.js';
import { createIntake } from '../../src/workflows/alerts/intake.js';
import { alertWarnings } from '../../src/workflows/alerts/warnings.js';
import type { JobData } from '../../src/workflows/queue/jobs.js';
import { reconcileStep } from '../../src/workflows/alerts/reconcile.js';
import { alertRows, eventsOf } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

// Under load, messages that reach the intake together share one INSERT and one inbound job, and
// the plain new warnings among them become alerts in one transaction. Nothing of what a reporter
// or an officer sees may differ from messages arriving one by one.
describe.each(queueBackends)('a burst of messages on the %s queue backend', (backend) => {
  let app: TestTamtam;
  let take: (from: string, text: string, id: string) => Promise<{ duplicate: boolean }>;
  beforeAll(async () => {
    app = await startTestTamtam({ backend });
    const intake = createIntake({ db: app.deps.db, pii: app.deps.pii, queues: app.deps.queues, log: app.deps.log });
    take = (from, text, id) => intake({ channel: 'simulator', providerMessageId: id, from, text, receivedAt: new Date() } satisfies InboundMessage);
  });
  afterAll(async () => app?.stop());

  const notifiedFrom = async (phones: string[]) => {
    const ids = new Set(
      (
        await app.deps.db.execute<{ id: number }>(
          sql`select distinct focal_point_id as id from inbound_messages where provider_message_id like ${'burst-%'}`,
        )
      ).rows.map((r) => Number(r.id)),
    );
    const rows = (await alertRows(app)).filter((a) => a.focalPointId !== null && ids.has(a.focalPointId));
    return rows.length >= phones.length && rows.every((a) => a.status === 'notified') ? rows : undefined;
  };

  /** A reporter's warning, taken in, and its alert once notified. */
  const notifiedAlertOf = async (from: string, text: string, id: string) => {
    await take(from, text, id);
    return eventually(async () => (await alertRows(app)).find((a) => a.text === text && a.status === 'notified'), { what: `the alert of "${text}"` });
  };
  /** Runs `fn` while no inbound job runs, as when the queue is behind. */
  const whileInboundPaused = async <T>(fn: () => Promise<T>): Promise<T> => {
    const inbound = app.deps.queues.get('inbound');
    await inbound.pause();
    try {
      return await fn();
    } finally {
      await inbound.resume();
    }
  };

  it('turns warnings that arrive together into alerts together, each confirmed with its own reference', async () => {
    const reporters = Array.from({ length: 12 }, (_, i) => `+2237691${String(i).padStart(4, '0')}`);
    // In one turn of the event loop: twelve warnings, a second message from the first reporter,
    // a keyword from another number and an officer's command.
    const taken = await Promise.all([
      ...reporters.map((phone, i) => take(phone, `Des hommes armés ont attaqué le marché de Mopti (${i})`, `burst-${i}`)),
      take(reporters[0]!, 'Ils sont une vingtaine sur des motos', 'burst-follow-up'),
      take('+22376919999', 'AIDE', 'keyword-help'),
      take('+22370000001', 'OK ZZZZZ', 'officer-ok'),
    ]);
    expect(taken.every((t) => !t.duplicate)).toBe(true);

    const alerts = await eventually(() => notifiedFrom(reporters), { what: 'twelve notified alerts' });
    expect(alerts).toHaveLength(12); // the second message did not open a thirteenth
    // Written together: the twelve `created` events carry the one transaction's timestamp.
    const created = await Promise.all(alerts.map(async (a) => (await eventsOf(app, a.id)).filter((e) => e.type === 'created')[0]!.at.getTime()));
    expect(new Set(created).size).toBe(1);
    for (const alert of alerts) {
      const types = (await eventsOf(app, alert.id)).map((e) => e.type);
      expect(types.slice(0, 4)).toEqual(['created', 'classified', 'routed', 'notified']);
      expect(alert).toMatchObject({ threatType: 'attack_on_civilians', officeId: 'mopti', escalationLevel: 0, timerSeq: 1 });
    }
    // Each reporter is confirmed once, with the reference of their own alert.
    for (const [i, phone] of reporters.entries()) {
      const alert = alerts.find((a) => a.text.endsWith(`(${i})`))!;
      const confirmations = await eventually(async () => {
        const found = (await app.outbox(phone)).filter((m) => m.purpose === 'confirmation');
        return found.length > 0 ? found : undefined;
      });
      expect(confirmations.map((m) => m.text)).toEqual([expect.stringContaining(`Réf ${alert.ref}.`)]);
    }
    // Every officer of the office gets every card.
    const cards = await eventually(
      async () => {
        const found = (await app.outbox('officer:o-traore')).filter((m) => m.purpose === 'card' && alerts.some((a) => a.id === m.alertId));
        return found.length === 12 ? found : undefined;
      },
      { what: "o-traore's twelve cards" },
    );
    expect(new Set(cards.map((c) => c.alertId)).size).toBe(12);

    // The first reporter's second message was handled after the warnings: a follow-up to their alert.
    const first = alerts.find((a) => a.text.endsWith('(0)'))!;
    await eventually(async () => (await eventsOf(app, first.id)).find((e) => e.type === 'reporter_message'), { what: 'the follow-up' });
    // The keyword and the officer's command got their answers.
    expect((await eventually(async () => (await app.outbox('+22376919999')).find((m) => m.purpose === 'reply')))!.text).toBe(
      'Décrivez ce qui se passe, où et quand. Vous recevrez une référence. STOP: plus de messages. LANGUE EN: anglais. Autres: AR SW LN SG BM.',
    );
    expect((await eventually(async () => (await app.outbox('+22370000001')).find((m) => m.purpose === 'reply')))!.text).toContain('ZZZZZ');
    const { rows } = await app.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from inbound_messages where processed_at is null`);
    expect(rows[0]!.n).toBe(0);
  });

  it('recognises a redelivery within the same burst, and one unstorable message does not lose the others', async () => {
    // A constraint only this test's database has stands for any message PostgreSQL refuses.
    await app.deps.db.execute(sql`alter table inbound_messages add constraint test_refuses_boom check (text not like '%BOOM%')`);
    try {
      const results = await Promise.allSettled([
        take('+22376920001', 'Tirs entendus à Mopti', 'redelivered-1'),
        take('+22376920001', 'Tirs entendus à Mopti', 'redelivered-1'),
        take('+22376920002', 'BOOM', 'refused-1'),
        take('+22376920003', 'Enlèvement de deux femmes à Mopti', 'kept-1'),
      ]);
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'refused'))).toEqual([
        { duplicate: false },
        { duplicate: true },
        'refused',
        { duplicate: false },
      ]);
    } finally {
      await app.deps.db.execute(sql`alter table inbound_messages drop constraint test_refuses_boom`);
    }
    const stored = await app.deps.db.execute<{ provider_message_id: string }>(
      sql`select provider_message_id from inbound_messages where provider_message_id in ('redelivered-1', 'refused-1', 'kept-1') order by id`,
    );
    expect(stored.rows.map((r) => r.provider_message_id)).toEqual(['redelivered-1', 'kept-1']);
    // Both stored messages become alerts.
    await eventually(
      async () => {
        const rows = await app.deps.db.execute<{ n: number }>(
          sql`select count(*)::int as n from inbound_messages i join alerts a on a.id = i.alert_id where i.provider_message_id in ('redelivered-1', 'kept-1') and a.status = 'notified'`,
        );
        return rows.rows[0]!.n === 2 || undefined;
      },
      { what: 'two notified alerts' },
    );
  });

  it('keeps a warning whose text or provider data holds a NUL character (PostgreSQL stores none)', async () => {
    const intake = createIntake({ db: app.deps.db, pii: app.deps.pii, queues: app.deps.queues, log: app.deps.log });
    const taken = await intake({
      channel: 'simulator',
      providerMessageId: 'nul-1',
      from: '+22376940001',
      text: 'Tirs\u0000 à Mopti',
      meta: { raw: { Body: 'Tirs\u0000 à Mopti' } },
      receivedAt: new Date(),
    });
    expect(taken).toEqual({ duplicate: false });
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.text === 'Tirs à Mopti' && a.status === 'notified'), {
      what: 'the alert',
    });
    expect(alert.officeId).toBe('mopti');
  });

  it("a reporter's next message, in the next burst, follows up on the alert the first burst is still writing", async () => {
    const reporters = Array.from({ length: 60 }, (_, i) => `+2237695${String(i).padStart(4, '0')}`);
    const first = Promise.all(reporters.map((phone, i) => take(phone, `Tirs entendus près de Sévaré, village ${i}`, `next-${i}`)));
    // The next turn of the event loop: a burst of its own, a job of its own, while the first is being written.
    await new Promise((r) => setImmediate(r));
    const second = take(reporters[0]!, 'Ils ont brûlé deux maisons', 'next-again');
    await Promise.all([first, second]);
    const alerts = await eventually(
      async () => {
        const rows = (await alertRows(app)).filter(
          (a) => a.text.startsWith('Tirs entendus près de Sévaré') || a.text === 'Ils ont brûlé deux maisons',
        );
        return rows.length >= 60 && rows.every((a) => a.status === 'notified') ? rows : undefined;
      },
      { what: 'sixty notified alerts' },
    );
    await eventually(
      async () => {
        const { rows } = await app.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from inbound_messages where processed_at is null`);
        return rows[0]!.n === 0;
      },
      { what: 'every message processed' },
    );
    // One alert per reporter; the second message is on the first reporter's alert, as a follow-up.
    expect(
      (await alertRows(app)).filter((a) => a.text.startsWith('Tirs entendus près de Sévaré') || a.text === 'Ils ont brûlé deux maisons'),
    ).toHaveLength(60);
    const mine = alerts.find((a) => a.text === 'Tirs entendus près de Sévaré, village 0')!;
    const { rows } = await app.deps.db.execute<{ outcome: string; alert_id: number }>(
      sql`select outcome, alert_id from inbound_messages where provider_message_id = 'next-again'`,
    );
    expect(rows.map((r) => [r.outcome, Number(r.alert_id)])).toEqual([['follow_up', mine.id]]);
    expect((await eventsOf(app, mine.id)).filter((e) => e.type === 'reporter_message')).toHaveLength(1);
  });

  it("leaves to their job the messages a queue that is behind still holds: an officer's question reaches the reporter once", async () => {
    const reporter = '+22376960001';
    const alert = await notifiedAlertOf(reporter, 'Des hommes armés ont encerclé le village près de Mopti', 'held-warning');
    await whileInboundPaused(async () => {
      // While no inbound job runs, the officer's question and a new warning come in together, and
      // another warning a moment later: two jobs.
      await Promise.all([
        take('+22370000001', `R ${alert.ref} Combien sont-ils ?`, 'held-question'),
        take('+22376960002', 'Enlèvement à Mopti ce matin', 'held-other'),
      ]);
      await take('+22376960003', 'Pillage du marché de Mopti', 'held-later');
      // The reconciler finds the three unprocessed, but their jobs still hold them: nothing is added
      // (a job of all three would run the officer's command a second time, alongside the first).
      const counts = await reconcileStep({} as Job<JobData<'reconcile'>>, app.deps, { everyMs: 30_000, staleAfterMs: 0 });
      expect(counts.inbound).toBe(0);
    });
    await eventually(
      async () => {
        const { rows } = await app.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from inbound_messages where processed_at is null`);
        return rows[0]!.n === 0;
      },
      { what: 'every message processed' },
    );
    const questions = await eventually(
      async () => {
        const found = (await app.outbox(reporter)).filter((m) => m.purpose === 'question');
        return found.length > 0 ? found : undefined;
      },
      { what: 'the question to the reporter' },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await app.outbox(reporter)).filter((m) => m.purpose === 'question').map((m) => m.text)).toEqual([questions[0]!.text]);
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'reply_bridged')).toHaveLength(1);
  });

  it('keeps the alerts written when their cards cannot be queued, and the reconciler sends them', async () => {
    const addMany = app.deps.queues.addMany.bind(app.deps.queues);
    // The queue refuses these alerts' cards and timers until the reconciler runs, and only theirs:
    // earlier tests' alerts are still being escalated and queued meanwhile.
    let refusing = true;
    let refused = 0;
    const concernsTheseAlerts = async (jobs: Parameters<typeof addMany>[0]) => {
      const ids = new Set(jobs.flatMap((j) => (j.name === 'escalate' ? [j.data.alertId] : [])));
      return ids.size > 0 && (await alertRows(app)).some((a) => ids.has(a.id) && a.text.startsWith('Incendie criminel au marché de Mopti'));
    };
    app.deps.queues.addMany = async (jobs) => {
      if (refusing && (await concernsTheseAlerts(jobs))) {
        refused++;
        throw new Error('queue unavailable (test)');
      }
      return addMany(jobs);
    };
    const reporters = ['+22376970001', '+22376970002', '+22376970003'];
    try {
      await Promise.all(reporters.map((phone, i) => take(phone, `Incendie criminel au marché de Mopti (${i})`, `unqueued-${i}`)));
      const alerts = await eventually(
        async () => {
          const rows = (await alertRows(app)).filter((a) => a.text.startsWith('Incendie criminel au marché de Mopti') && a.status === 'notified');
          // The refusal is counted once the wrapper has looked the alerts up, which can be after
          // they show as notified on a loaded machine: wait for both.
          return rows.length === 3 && refused >= 1 ? rows : undefined;
        },
        { what: 'three notified alerts whose cards the queue refused' },
      );
      const { rows } = await app.deps.db.execute<{ outcome: string }>(
        sql`select outcome from inbound_messages where provider_message_id like 'unqueued-%'`,
      );
      expect(rows.map((r) => r.outcome)).toEqual(['alert', 'alert', 'alert']);
      expect((await app.outbox('officer:o-traore')).filter((m) => alerts.some((a) => a.id === m.alertId))).toEqual([]);
      // The reconciler queues the waiting cards and confirmations, and the timers due soon.
      refusing = false;
      await reconcileStep({} as Job<JobData<'reconcile'>>, app.deps, { everyMs: 30_000, staleAfterMs: 0 });
      await eventually(
        async () =>
          (await app.outbox('officer:o-traore')).filter((m) => m.purpose === 'card' && alerts.some((a) => a.id === m.alertId)).length === 3 ||
          undefined,
        { what: 'the three cards' },
      );
      for (const phone of reporters) expect((await app.outbox(phone)).filter((m) => m.purpose === 'confirmation')).toHaveLength(1);
      await eventually(async () => (await eventsOf(app, alerts[0]!.id)).find((e) => e.type === 'escalated'), {
        what: 'the escalation at the deadline',
      });
    } finally {
      app.deps.queues.addMany = addMany;
    }
  });

  it('writes no alert for a warning read before its reporter wrote again elsewhere: it is looked at again', async () => {
    const alert = await notifiedAlertOf('+22376980001', 'Des hommes armés pillent les greniers à Mopti', 'basis-first');
    const found = await whileInboundPaused(async () => {
      await take('+22376980001', 'Ils repartent vers le nord', 'basis-second');
      const { rows } = await app.deps.db.execute<{ id: number }>(sql`select id from inbound_messages where provider_message_id = 'basis-second'`);
      return getInboundsWithSenders(app.deps.db, [Number(rows[0]!.id)]);
    });
    await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'reporter_message'), { what: 'the follow-up' });
    const { message, sender } = found[0]!;
    // Read as if the reporter had last written long ago (before the first message was handled): not written.
    const again = await alertWarnings(app.deps, [
      { message: { ...message, processedAt: null }, reporter: sender!, basis: { newestOpenId: alert.id, lastMessageAt: new Date(0) } },
    ]);
    expect(again.map((w) => w.message.id)).toEqual([message.id]);
    // Read before the reporter's first alert existed: not written either.
    const stillAgain = await alertWarnings(app.deps, [
      { message: { ...message, processedAt: null }, reporter: sender!, basis: { newestOpenId: null, lastMessageAt: null } },
    ]);
    expect(stillAgain).toHaveLength(1);
    expect((await alertRows(app)).filter((a) => a.focalPointId === sender!.id)).toHaveLength(1);
  });

  it('still makes every alert when the warnings cannot be written together', async () => {
    const classify = app.deps.analyser.classify.bind(app.deps.analyser);
    let faults = 0;
    app.deps.analyser.classify = (text) => {
      if (text.includes('panne') && faults++ === 0) throw new Error('classifier fault (test)');
      return classify(text);
    };
    const reporters = Array.from({ length: 5 }, (_, i) => `+2237693${String(i).padStart(4, '0')}`);
    try {
      await Promise.all(reporters.map((phone, i) => take(phone, `Pillage de greniers à Mopti ${i === 2 ? '(panne)' : `(${i})`}`, `apart-${i}`)));
      const alerts = await eventually(
        async () => {
          const rows = (await alertRows(app)).filter((a) => a.text.startsWith('Pillage de greniers à Mopti') && a.status === 'notified');
          return rows.length === 5 ? rows : undefined;
        },
        { what: 'five notified alerts' },
      );
      for (const alert of alerts) {
        // Created alone, the confirmation may leave between the stages.
        const stages = (await eventsOf(app, alert.id)).map((e) => e.type).filter((t) => !t.endsWith('_sent'));
        expect(stages.slice(0, 4)).toEqual(['created', 'classified', 'routed', 'notified']);
        expect(alert.threatType).toBe('looting_destruction');
      }
      for (const phone of reporters) {
        await eventually(async () => (await app.outbox(phone)).filter((m) => m.purpose === 'confirmation').length === 1 || undefined, {
          what: `${phone}'s confirmation`,
        });
      }
      expect(faults).toBeGreaterThanOrEqual(2);
    } finally {
      app.deps.analyser.classify = classify;
    }
  });
});
