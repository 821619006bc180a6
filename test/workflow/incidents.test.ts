import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRows, eventsOf, reportAndWaitNotified } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

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

  it('keeps a message naming the reference a follow-up, whatever it tells', async () => {
    const phone = `+2237681${backend === 'redis' ? 1 : 2}003`;
    const alert = await reportAndWaitNotified(app, phone, 'vol de betail cette nuit a Bankass');
    await app.send(phone, `${alert.ref} une femme violée à Djenné aussi`);
    await eventually(async () => ((await forwardedOf(alert.id)).length === 1 ? true : undefined), { what: 'the follow-up' });
    expect(await alertsOf(alert.focalPointId)).toHaveLength(1);
  });
});
