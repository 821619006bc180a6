import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeToReporter } from '../../src/workflows/reporters/bridge.js';
import { alertRows, eventsOf, reportAndWaitNotified } from '../helpers/alerts.js';
import { eventually, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

describe('talking with reporters (simulator channel)', () => {
  let app: TestTamtam;
  beforeAll(async () => {
    app = await startTestTamtam({ backend: 'redis' });
  });
  afterAll(async () => app?.stop());

  const lastTo = async (to: string) => (await app.outbox(to)).at(-1);

  it('confirms a warning with its reference, in one plain SMS', async () => {
    const alert = await reportAndWaitNotified(app, '+22376800001', 'Des hommes armés encerclent le village près de Mopti');
    const confirmation = await eventually(() => lastTo('+22376800001'));
    expect(confirmation).toMatchObject({
      purpose: 'confirmation',
      text: `Merci, alerte enregistrée. Réf ${alert.ref}. La mission est prévenue. Répondez à ce numéro pour ajouter des détails.`,
    });
  });

  it('adds a message sent soon after to the same alert and passes it to the officers holding it', async () => {
    const alert = await reportAndWaitNotified(app, '+22376800002', 'Tirs à Mopti');
    await app.send('+22376800002', 'Ils sont une vingtaine sur des motos');
    const forwarded = await eventually(async () =>
      (await app.outbox('officer:o-diallo')).find((m) => m.purpose === 'reporter_message' && m.alertId === alert.id),
    );
    expect(forwarded.text).toMatch(new RegExp(`^Réponse de PF-[0-9A-F]{4} \\(alerte ${alert.ref}\\) : « Ils sont une vingtaine sur des motos »$`));
    expect(forwarded.text).not.toContain('+22376800002');
    expect((await alertRows(app)).filter((a) => a.focalPointId === alert.focalPointId)).toHaveLength(1);
    expect((await eventsOf(app, alert.id)).map((e) => e.type)).toContain('reporter_message');
    const thanks = await eventually(async () => (await app.outbox('+22376800002')).find((m) => m.purpose === 'reply'));
    expect(thanks.text).toBe(`Merci, message ajouté à l'alerte ${alert.ref}.`);
  });

  it("bridges an officer's question to the reporter and the answer back, and a later warning is a new alert", async () => {
    const alert = await reportAndWaitNotified(app, '+22376800003', 'Enlèvement de deux femmes à Mopti');
    // Make the conversation old: outside the follow-up window.
    await app.deps.db.execute(sql`update inbound_messages set received_at = now() - interval '2 hours' where alert_id = ${alert.id}`);
    await app.deps.db.execute(sql`update alerts set created_at = now() - interval '2 hours' where id = ${alert.id}`);

    const sms = await app.send('+22370000001', `R ${alert.ref} Combien de personnes armées ?`);
    expect(sms.status).toBe(202);
    const question = await eventually(async () => (await app.outbox('+22376800003')).find((m) => m.purpose === 'question'));
    expect(question.text).toBe(`Mission, alerte ${alert.ref} : Combien de personnes armées ?`);
    expect((await eventually(async () => (await app.outbox('+22370000001')).find((m) => m.purpose === 'reply'))).text).toMatch(
      /^Message transmis à PF-/,
    );

    await app.send('+22376800003', 'environ 10, avec des kalach');
    const answer = await eventually(async () =>
      (await app.outbox('officer:o-traore')).find((m) => m.purpose === 'reporter_message' && m.alertId === alert.id),
    );
    expect(answer.text).toContain('« environ 10, avec des kalach »');
    const types = (await eventsOf(app, alert.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['reply_bridged', 'reporter_message']));

    // Much later, with no question pending, a new warning opens a new alert.
    await app.deps.db.execute(sql`update inbound_messages set received_at = now() - interval '30 hours' where alert_id = ${alert.id}`);
    await app.deps.db.execute(sql`update outbound_messages set created_at = now() - interval '30 hours' where alert_id = ${alert.id}`);
    const second = await reportAndWaitNotified(app, '+22376800003', 'Nouveaux tirs à Mopti ce soir');
    expect(second.id).not.toBe(alert.id);
  });

  it('names the reference to add to an older alert', async () => {
    const alert = await reportAndWaitNotified(app, '+22376800004', 'Pillage à Mopti');
    await app.deps.db.execute(sql`update inbound_messages set received_at = now() - interval '3 hours' where alert_id = ${alert.id}`);
    await app.deps.db.execute(sql`update alerts set created_at = now() - interval '3 hours' where id = ${alert.id}`);
    await app.send('+22376800004', `${alert.ref.toLowerCase()} ils ont pris le bétail aussi`);
    await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'reporter_message'), { what: 'the follow-up' });
    expect((await alertRows(app)).filter((a) => a.focalPointId === alert.focalPointId)).toHaveLength(1);
  });

  it('STOP stops every message to the reporter; their warnings still reach the mission; START resumes', async () => {
    await app.send('+22376800005', 'STOP');
    await new Promise((r) => setTimeout(r, 500));
    const alert = await reportAndWaitNotified(app, '+22376800005', 'Hommes armés à Mopti');
    expect(alert.officeId).toBe('mopti');
    const outcome = await bridgeToReporter(app.deps, { alert: { ref: alert.ref }, officerId: 'o-diallo', text: 'Où êtes-vous ?' });
    expect(outcome).toMatchObject({ outcome: 'unreachable', reason: 'opted_out' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await app.outbox('+22376800005')).toEqual([]);

    await app.send('+22376800005', 'start');
    expect(await eventually(() => lastTo('+22376800005'))).toMatchObject({ text: "Messages réactivés. Envoyez AIDE pour l'aide." });
  });

  it('answers AIDE and switches language with LANG', async () => {
    await app.send('+22376800006', 'Aide');
    expect((await eventually(() => lastTo('+22376800006'))).text).toMatch(/^Décrivez ce qui se passe/);
    await app.send('+22376800006', 'LANG EN');
    await eventually(async () => (await lastTo('+22376800006'))?.text === 'Language set: EN.');
    const alert = await reportAndWaitNotified(app, '+22376800006', 'Armed men near Mopti');
    expect((await eventually(async () => (await app.outbox('+22376800006')).find((m) => m.purpose === 'confirmation'))).text).toBe(
      `Thank you, alert received. Ref ${alert.ref}. The mission has been told. Reply to this number to add details.`,
    );
    await app.send('+22376800006', 'langue xx');
    expect(
      (await eventually(async () => ((await lastTo('+22376800006'))?.text.startsWith('Unknown') ? lastTo('+22376800006') : undefined))).text,
    ).toBe('Unknown language. Available: AR, BM, EN, FR, LN, SG, SW.');
  });
});
