import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/channels/channel.js';
import { createIntake } from '../../src/workflows/alerts/intake.js';
import { getOfficer } from '../../src/db/offices.js';
import { pressButton } from '../../src/workflows/officers/telegram/buttons.js';
import { bridgeToReporter } from '../../src/workflows/reporters/bridge.js';
import { reportersAwaitingReply } from '../../src/db/waiting.js';
import { alertRows, eventsOf, reportAndWaitNotified } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

// DESIGN.md "Alerts about the same incident": a reporter's message soon after their warning is a
// follow-up only if it adds to the same incident; another incident becomes an alert of its own.
describe.each(queueBackends)('alerts about the same incident on the %s queue backend', (backend) => {
  let app: TestTamtam;
  beforeAll(async () => {
    app = await startTestTamtam({ backend });
  });
  afterAll(async () => app?.stop());

  const alertsOf = async (focalPointId: number | null) => (await alertRows(app)).filter((a) => a.focalPointId === focalPointId);
  const forwardedOf = async (alertId: number) =>
    (await app.outbox('officer:o-diallo')).filter((m) => m.purpose === 'reporter_message' && m.alertId === alertId);

  it('makes a different incident told within the follow-up window a new alert, linked to the first', async () => {
    const phone = `+2237681${backend === 'redis' ? 1 : 2}001`;
    const first = await reportAndWaitNotified(app, phone, 'Des hommes armés à Sofara');
    const second = await reportAndWaitNotified(app, phone, 'enlèvement de deux enseignants à Djenné');

    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ linkedToId: first.id, threatType: 'abduction', officeId: 'mopti', status: 'notified' });
    expect(second.ackDeadline).not.toBeNull();
    expect((await eventsOf(app, second.id)).find((e) => e.type === 'linked')?.data).toMatchObject({ linkedTo: first.ref, reason: 'another place' });
    expect((await eventsOf(app, first.id)).find((e) => e.type === 'linked')?.data).toMatchObject({ linkedFrom: second.ref });
    // Its own card, saying which alert it is linked to; and the reporter gets its reference.
    const card = await eventually(async () => (await app.outbox('officer:o-diallo')).find((m) => m.purpose === 'card' && m.alertId === second.id));
    expect(card.text).toContain(`Liée à ${first.ref}`);
    const confirmation = await eventually(async () => (await app.outbox(phone)).find((m) => m.purpose === 'confirmation' && m.alertId === second.id));
    expect(confirmation.text).toContain(second.ref);
    expect(await (await app.api(`/api/alerts/${second.ref}`)).json()).toMatchObject({
      linkedTo: first.ref,
      corroboration: { reports: 1, reporters: 1 },
    });
    expect(await (await app.api(`/api/alerts/${first.ref}`)).json()).toMatchObject({ linkedTo: null });
    // Nothing of the abduction was passed as a follow-up of the first alert.
    expect(await forwardedOf(first.id)).toEqual([]);

    // What follows adds to the newer alert: the same people, still there, then moving on.
    await app.send(phone, 'ils st tjrs la');
    await app.send(phone, 'ils sont partis vers Bankass');
    await eventually(async () => ((await forwardedOf(second.id)).length === 2 ? true : undefined), { what: 'two follow-ups' });
    expect(await alertsOf(first.focalPointId)).toHaveLength(2);
  });

  it('keeps real follow-ups (counts, the wounded, thanks) on the one alert', async () => {
    const phone = `+2237681${backend === 'redis' ? 1 : 2}002`;
    const alert = await reportAndWaitNotified(app, phone, 'attaque du village de Konna cette nuit');
    for (const text of ['une vingtaine', '2 bléssés', 'ils ont brulé les greniers aussi', 'ok merci']) await app.send(phone, text);
    await eventually(async () => ((await forwardedOf(alert.id)).length === 4 ? true : undefined), { what: 'four follow-ups' });
    expect(await alertsOf(alert.focalPointId)).toHaveLength(1);
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'reporter_message')).toHaveLength(4);
  });

  it("keeps an answer to an officer's question a follow-up, whatever it tells", async () => {
    const phone = `+2237681${backend === 'redis' ? 1 : 2}004`;
    const alert = await reportAndWaitNotified(app, phone, 'Des hommes armés à Sofara');
    await app.send('+22370000001', `R ${alert.ref} Ont-ils fait des victimes ?`);
    await eventually(async () => (await app.outbox(phone)).find((m) => m.purpose === 'question'), { what: 'the question' });
    await app.send(phone, 'oui, ils ont enlevé 2 enseignants à Djenné');
    await eventually(async () => ((await forwardedOf(alert.id)).length === 1 ? true : undefined), { what: 'the answer' });
    expect(await alertsOf(alert.focalPointId)).toHaveLength(1);
  });

  it('keeps a message naming the reference a follow-up, whatever it tells', async () => {
    const phone = `+2237681${backend === 'redis' ? 1 : 2}003`;
    const alert = await reportAndWaitNotified(app, phone, 'vol de betail cette nuit a Bankass');
    await app.send(phone, `${alert.ref} une femme violée à Djenné aussi`);
    await eventually(async () => ((await forwardedOf(alert.id)).length === 1 ? true : undefined), { what: 'the follow-up' });
    expect(await alertsOf(alert.focalPointId)).toHaveLength(1);
  });
});

// Warnings of one incident from different reporters are grouped under the first alert.
describe.each(queueBackends)('warnings of one incident from several reporters on the %s queue backend', (backend) => {
  // Focal points registered at Youwarou, and one at Ténenkou, 110 km away.
  const youwarou = ['+22376840001', '+22376840002', '+22376840003'];
  const tenenkou = '+22376840009';
  let app: TestTamtam;
  let take: (from: string, text: string, id: string) => Promise<{ duplicate: boolean }>;
  beforeAll(async () => {
    app = await startTestTamtam({
      backend,
      deployment: testDeployment({
        groupIncidents: true,
        ackTimeout: '1h',
        focalPoints: [...youwarou.map((phone) => ({ phone, place: 'Youwarou' })), { phone: tenenkou, place: 'Ténenkou' }],
      }),
    });
    const intake = createIntake({ db: app.deps.db, pii: app.deps.pii, queues: app.deps.queues, log: app.deps.log });
    take = (from, text, id) => intake({ channel: 'simulator', providerMessageId: id, from, text, receivedAt: new Date() } satisfies InboundMessage);
  });
  afterAll(async () => app?.stop());

  const inboundOf = async (alertId: number) =>
    (
      await app.deps.db.execute<{ outcome: string; focal_point_id: number }>(
        sql`select outcome, focal_point_id from inbound_messages where alert_id = ${alertId}`,
      )
    ).rows;
  const officerMessages = async (alertId: number, purpose: string) =>
    (await app.outbox('officer:o-diallo')).filter((m) => m.alertId === alertId && m.purpose === purpose);

  it("groups another reporter's warning under the first alert: counted on its card, passed to officers, never an alert of its own", async () => {
    const alert = await reportAndWaitNotified(app, '+22376820001', 'attaque du village de Konna, ils tirent sur les gens');
    await eventually(async () => (await officerMessages(alert.id, 'card')).length || undefined, { what: 'the card' });
    await app.send('+22376820002', 'ils attaquent Konna, des tirs partout');
    const report = await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'report_added'), { what: 'the report' });
    expect(report.data).toMatchObject({ text: 'ils attaquent Konna, des tirs partout' });
    expect(JSON.stringify(report)).not.toContain('+22376820002');
    expect((await alertRows(app)).filter((a) => a.text.includes('Konna'))).toHaveLength(1);
    expect((await inboundOf(alert.id)).map((r) => r.outcome).sort()).toEqual(['alert', 'corroboration']);
    // The second reporter is told which alert their warning went to; officers see it and the count.
    const thanks = await eventually(async () => (await app.outbox('+22376820002')).find((m) => m.alertId === alert.id));
    expect(thanks.text).toBe(`Merci, message ajouté à l'alerte ${alert.ref}.`);
    const passed = await eventually(async () => (await officerMessages(alert.id, 'report_added'))[0]);
    expect(passed.text).toContain('« ils attaquent Konna, des tirs partout »');
    const edit = await eventually(async () =>
      (await officerMessages(alert.id, 'card_update')).find((m) => m.text.includes('2 signalements de 2 sources')),
    );
    expect(edit.text).toContain(alert.ref);
    // Their next message follows up on that alert, and the card counts it.
    await app.send('+22376820002', 'ils sont toujours là');
    await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'reporter_message'), { what: 'the follow-up' });
    await eventually(async () => (await officerMessages(alert.id, 'card_update')).find((m) => m.text.includes('3 signalements de 2 sources')), {
      what: 'the count edited',
    });
    expect(await (await app.api(`/api/alerts/${alert.ref}`)).json()).toMatchObject({ linkedTo: null, corroboration: { reports: 3, reporters: 2 } });
    // The export counts the reports in its `reports` column (simulator alerts are exercises: asked for).
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const csv = await (
      await app.api(`/api/exports/alerts.csv?from=${day(new Date())}&to=${day(new Date(Date.now() + 86_400_000))}&exercise=1`)
    ).text();
    // RFC 4180 fields: quoted ones may hold commas.
    const fields = (line: string) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
    const [header, ...lines] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const row = fields(lines.find((l) => l.includes(alert.ref))!);
    expect(row[fields(header!).indexOf('reports')]).toBe('3');
  });

  it('groups warnings that name no place from reporters registered in one village: people under attack do not name where they are', async () => {
    const first = await reportAndWaitNotified(app, youwarou[0]!, 'on nous attaque, ils tirent partout');
    await app.send(youwarou[1]!, 'attaque en cours venez vite');
    await app.send(youwarou[2]!, 'des hommes armés tirent sur les gens ici');
    await eventually(async () => ((await inboundOf(first.id)).length === 3 ? true : undefined), { what: 'the three reports on one alert' });
    await eventually(async () => (await officerMessages(first.id, 'card_update')).find((m) => m.text.includes('3 signalements de 3 sources')), {
      what: 'the count on the card',
    });
    // The same words from a reporter registered elsewhere are another incident, and another alert.
    const elsewhere = await reportAndWaitNotified(app, tenenkou, 'on nous attaque, ils tirent partout');
    expect(elsewhere.id).not.toBe(first.id);
    expect((await inboundOf(elsewhere.id)).map((r) => r.outcome)).toEqual(['alert']);
  });

  it('keeps two different incidents in one village the same hour apart', async () => {
    const looted = await reportAndWaitNotified(app, '+22376820011', 'vol de bétail à Bankass');
    const raped = await reportAndWaitNotified(app, '+22376820012', 'une femme violée à Bankass');
    expect(raped.id).not.toBe(looted.id);
    expect(raped.linkedToId).toBeNull();
  });

  it('gives officers one alert to act on for a burst of 20 warnings about one attack from 8 reporters', async () => {
    const texts = [
      'des tirs à Dialloubé, des gens tués',
      'attaque a Dialloubé, 3 morts',
      'ils ont attaqué Dialloubé ce matin',
      'des hommes armés tirent sur les civils à Dialloubé',
      'attaque du village de Dialloubé, ils tirent sur les gens',
      'armed men attacking Dialloubé now',
      'Dialloubé attaqué par des hommes armés',
      'attaque en cours à Dialloubé',
    ];
    const phones = texts.map((_, i) => `+2237683${String(i).padStart(4, '0')}`);
    const more = ['ils sont toujours là', 'une vingtaine sur des motos', '2 blessés'];
    // In one turn of the event loop: each reporter's warning, then twelve more messages from them.
    await Promise.all([
      ...texts.map((text, i) => take(phones[i]!, text, `${backend}-attack-${i}`)),
      ...Array.from({ length: 12 }, (_, k) => take(phones[k % 8]!, more[k % 3]!, `${backend}-attack-more-${k}`)),
    ]);
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.text.includes('Dialloubé') && a.status === 'notified'));
    await eventually(async () => ((await inboundOf(alert.id)).length === 20 ? true : undefined), { what: 'the 20 reports' });
    const alerts = (await alertRows(app)).filter((a) => a.createdAt >= alert.createdAt && a.text !== 'une femme violée à Bankass');
    expect(alerts.map((a) => a.id)).toEqual([alert.id]);
    expect(new Set((await inboundOf(alert.id)).map((r) => r.focal_point_id)).size).toBe(8);
    // One set of cards (one per officer of the office), the count edited on them, one escalation timer.
    const cards = (await app.outbox()).filter((m) => m.purpose === 'card' && m.alertId === alert.id);
    expect(new Set(cards.map((c) => c.to)).size).toBe(cards.length);
    await eventually(async () => (await officerMessages(alert.id, 'card_update')).find((m) => m.text.includes('20 signalements de 8 sources')), {
      what: 'the count of 20 reports',
    });
    // Every other reporter's warning is passed to the officers once, with its number to split it out.
    const reports = await eventually(
      async () => ((await officerMessages(alert.id, 'report_added')).length === 7 ? officerMessages(alert.id, 'report_added') : undefined),
      {
        what: 'the seven grouped warnings passed on',
      },
    );
    expect(reports.map((m) => /SEPARER \w+ (\d+)/.exec(m.text)?.[1])).not.toContain(undefined);
    // Its escalation timer is the only one of the burst's alerts.
    const timers = (await app.deps.queues.get('escalation').getDelayed()).filter((job) => (job.data as { alertId: number }).alertId >= alert.id);
    expect(timers.map((job) => job.id)).toEqual([expect.stringMatching(new RegExp(`(^|-)escalate-${alert.id}-1$`))]);
    const cardsNow = (await app.outbox()).filter((m) => m.purpose === 'card');
    expect(cardsNow.filter((c) => c.alertId !== alert.id && c.alertId! > alert.id)).toEqual([]);
  });

  it('opens one alert when reporters warn of one incident at the same moment through separate requests (jobs racing)', async () => {
    const texts = [
      'attaque a Kouakourou, 3 morts',
      'des tirs à Kouakourou, des gens tués',
      'ils ont attaqué Kouakourou ce matin',
      'attaque en cours à Kouakourou',
    ];
    await Promise.all(texts.map((text, i) => app.send(`+2237685000${i}`, text)));
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.text.includes('Kouakourou') && a.status === 'notified'));
    await eventually(async () => ((await inboundOf(alert.id)).length === 4 ? true : undefined), { what: 'the four reports on one alert' });
    expect((await alertRows(app)).filter((a) => a.text.includes('Kouakourou'))).toHaveLength(1);
  });

  it('a warning grouped under an alert does not make its first reporter wait for a reply: only their own messages do', async () => {
    const first = await reportAndWaitNotified(app, '+22376850001', 'attaque a Douentza, ils tirent sur les gens');
    await bridgeToReporter(app.deps, { alert: { id: first.id }, officerId: 'o-diallo', text: 'Une patrouille arrive' });
    await app.send('+22376850002', 'des tirs à Douentza, attaque en cours');
    await eventually(async () => ((await inboundOf(first.id)).length === 2 ? true : undefined), { what: 'the second report grouped' });
    // The simulator's alerts are exercises, which the list leaves out: this one counts.
    await app.deps.db.execute(sql`update alerts set exercise = false where id = ${first.id}`);
    expect((await reportersAwaitingReply(app.deps.db)).map((r) => r.ref)).not.toContain(first.ref);
    await app.send('+22376850001', 'ils sont toujours là');
    await eventually(async () => ((await inboundOf(first.id)).length === 3 ? true : undefined), { what: 'the follow-up' });
    expect((await reportersAwaitingReply(app.deps.db)).map((r) => r.ref)).toContain(first.ref);
  });

  it('splits a report out again, by command and by button: an alert of its own, notified, the first card counting one less', async () => {
    const first = await reportAndWaitNotified(app, '+22376840001', 'attaque a Konio, 3 morts');
    await eventually(async () => (await officerMessages(first.id, 'card')).length || undefined, { what: 'the card' });
    await app.send('+22376840002', 'des tirs à Konio, des gens tués');
    const passed = await eventually(async () => (await officerMessages(first.id, 'report_added'))[0]);
    expect(passed.text).toContain(`SEPARER ${first.ref} 2`);

    await app.send('+22370000001', `SEPARER ${first.ref} 2`);
    const answer = await eventually(async () => (await app.outbox('+22370000001')).find((m) => m.text.includes('est maintenant')));
    const split = await eventually(async () =>
      (await alertRows(app)).find((a) => a.text === 'des tirs à Konio, des gens tués' && a.status === 'notified'),
    );
    expect(answer.text).toBe(`Le signalement n° 2 de ${first.ref} est maintenant l'alerte ${split.ref}.`);
    expect(split.ackDeadline).not.toBeNull();
    expect((await eventsOf(app, first.id)).find((e) => e.type === 'report_split')?.data).toMatchObject({ splitInto: split.ref, n: 2 });
    expect((await eventsOf(app, split.id)).find((e) => e.type === 'report_split')?.data).toMatchObject({ splitFrom: first.ref });
    await eventually(async () => (await officerMessages(split.id, 'card')).length || undefined, { what: "the split alert's card" });
    expect(await (await app.api(`/api/alerts/${first.ref}`)).json()).toMatchObject({ corroboration: { reports: 1, reporters: 1 } });
    const confirmation = await eventually(async () =>
      (await app.outbox('+22376840002')).find((m) => m.alertId === split.id && m.purpose === 'confirmation'),
    );
    expect(confirmation.text).toContain(split.ref);

    // The button does the same: a third reporter's warning, grouped, then split at a tap.
    await app.send('+22376840003', 'ils ont attaqué Konio ce matin');
    await eventually(async () => ((await inboundOf(first.id)).length === 2 ? true : undefined), { what: 'the third report grouped' });
    const button = await eventually(async () => {
      const { rows } = await app.deps.db.execute<{ actions: { data: string }[] }>(
        sql`select actions from outbound_messages where alert_id = ${first.id} and purpose = 'report_added' and recipient = 'officer:o-diallo' and body like '%ce matin%'`,
      );
      return rows[0]?.actions[0]?.data;
    });
    // A fourth warning, received before the third but grouped after it, takes number 2: the third's
    // button still splits the third (it names the message, not the number it had).
    await app.send('+22376840004', 'attaque à Konio, ils brûlent les maisons');
    await eventually(async () => ((await inboundOf(first.id)).length === 3 ? true : undefined), { what: 'the fourth report grouped' });
    await app.deps.db.execute(
      sql`update inbound_messages set received_at = (select received_at - interval '1 millisecond' from inbound_messages where text = 'ils ont attaqué Konio ce matin') where text = 'attaque à Konio, ils brûlent les maisons'`,
    );
    const officer = (await getOfficer(app.deps.db, 'o-diallo'))!;
    const pressed = await pressButton({ deps: app.deps, officer }, button);
    expect(pressed).toMatchObject({ alert: false, text: expect.stringContaining('Le signalement n° 3') });
    expect((await alertRows(app)).find((a) => a.text === 'ils ont attaqué Konio ce matin')).toBeDefined();
    expect((await alertRows(app)).find((a) => a.text === 'attaque à Konio, ils brûlent les maisons')).toBeUndefined();
    expect(await pressButton({ deps: app.deps, officer }, `split:${first.ref}:1`)).toMatchObject({ alert: true });
  });
});
