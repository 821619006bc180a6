import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { correctAlert } from '../../src/workflows/officers/corrections.js';
import { alertRows, eventsOf, reportAndWaitNotified } from '../helpers/alerts.js';
import { runTamtamCli } from '../helpers/cli.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

const mali = fileURLToPath(new URL('../../deploy/gazetteer/mali.csv', import.meta.url));
const policy = (timeout: string) => `
    ackTimeout: { critical: ${timeout}, high: ${timeout}, medium: ${timeout}, low: ${timeout} }
    levels:
      - notify: [office.officers]
      - notify: [office.supervisors]
      - notify: [role.joc]
    repeatLast: 0`;

/** Mopti answers within the hour, Gao within 3 seconds: an escalation in seconds can only be Gao's clock. */
const deployment = `
mission: TEST
defaultLanguage: fr
fieldOffices:
  - { id: mopti, name: Mopti Field Office, area: { admin1: [Mopti] }, location: [14.49, -4.19], escalation: slow }
  - { id: gao, name: Gao Field Office, area: { admin1: [Gao] }, location: [16.27, -0.04], escalation: fast }
  - { id: joc, name: Mission JOC, area: {}, triage: true, escalation: slow }
officers:
  - { id: o-diallo, name: A. Diallo, office: mopti, role: officer, phone: "+22370000001", language: fr }
  - { id: o-keita, name: B. Keita, office: mopti, role: supervisor, language: fr }
  - { id: o-maiga, name: H. Maïga, office: gao, role: officer, phone: "+22370000004", language: fr }
  - { id: o-toure, name: S. Touré, office: gao, role: supervisor, language: fr }
  - { id: o-joc, name: JOC duty, office: joc, role: joc, language: en }
escalationPolicies:
  slow:${policy('1h')}
  fast:${policy('3s')}
gazetteers:
  - path: ${mali}
`;

const reporter = '+22376222222';
const officerReply = (app: TestTamtam, phone: string, after: number) =>
  eventually(async () => (await app.outbox(phone)).find((m) => m.purpose === 'reply' && m.id > after), { what: 'the reply to the officer' });
const lastOutboxId = async (app: TestTamtam) => Math.max(0, ...(await app.outbox()).map((m) => m.id));

describe.each(queueBackends)('officers correct the analysis on the %s queue backend', (backend) => {
  let app: TestTamtam;
  afterEach(async () => app?.stop());

  it('TYPE recomputes the severity and records the correction; an officer of another office cannot; the export has it', async () => {
    app = await startTestTamtam({ backend, deployment });
    const alert = await reportAndWaitNotified(app, reporter, 'Des familles fuient Mopti depuis hier');
    expect([alert.threatType, alert.urgency, alert.severity, alert.officeId]).toEqual(['displacement', 'past', 'low', 'mopti']);

    // Gao's officer may not touch a Mopti alert.
    let after = await lastOutboxId(app);
    await app.send('+22370000004', `TYPE ${alert.ref} abduction`);
    expect((await officerReply(app, '+22370000004', after)).text).toBe(
      `Vous ne pouvez pas agir sur l'alerte ${alert.ref} : elle relève d'un autre bureau.`,
    );
    expect((await alertRows(app))[0]!.threatType).toBe('displacement');
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'action_refused').map((e) => [e.actor, e.data.action])).toEqual([
      ['officer:o-maiga', 'correct'],
    ]);

    after = await lastOutboxId(app);
    await app.send('+22370000001', `TYPE ${alert.ref} attaque`);
    expect((await officerReply(app, '+22370000001', after)).text).toBe(
      `Alerte ${alert.ref} corrigée : type Attaque contre des civils, gravité MOYENNE.`,
    );
    const [row] = await alertRows(app);
    expect([row!.threatType, row!.severity, row!.officeId, row!.timerSeq]).toEqual(['attack_on_civilians', 'medium', 'mopti', alert.timerSeq]);
    const corrected = (await eventsOf(app, alert.id)).filter((e) => e.type === 'corrected');
    expect(corrected.map((e) => [e.actor, e.data])).toEqual([
      ['officer:o-diallo', { field: 'threatType', from: 'displacement', to: 'attack_on_civilians' }],
      ['officer:o-diallo', { field: 'severity', from: 'low', to: 'medium' }],
    ]);
    // Diallo's copy of the card now shows the corrected analysis, buttons kept.
    const edited = await eventually(
      async () => (await app.outbox('officer:o-diallo')).find((m) => m.alertId === alert.id && m.purpose === 'card_update'),
      { what: 'the card edited' },
    );
    expect(edited.text.split('\n').slice(0, 2)).toEqual([`ALERTE ${alert.ref} · MOYENNE`, 'Attaque contre des civils (passé)']);
    // The same type again changes nothing, records nothing and edits nothing more.
    expect((await correctAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-diallo', threatType: 'attack_on_civilians' })).outcome).toBe(
      'unchanged',
    );
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'corrected')).toHaveLength(2);
    const { rows: edits } = await app.database.pool.query(`select actions from outbound_messages where alert_id = $1 and purpose = 'card_update'`, [
      alert.id,
    ]);
    expect(edits.map((e) => (e.actions as { data: string }[]).map((a) => a.data.split(':')[0]))).toEqual([
      ['ack', 'responding', 'resolve', 'dismiss', 'escalate', 'fix'],
    ]);

    if (backend === 'postgres') {
      // The command line exports the correction as a labelled example.
      const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-export-'));
      const out = path.join(dir, 'corrections.jsonl');
      const result = await runTamtamCli(['export', 'corrections', '--out', out], { databaseUrl: app.databaseUrl, dataDir: dir });
      expect([result.code, result.stderr.trim()]).toEqual([0, `1 correction exported to ${out}`]);
      const lines = (await readFile(out, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toEqual([
        {
          ref: alert.ref,
          text: 'Des familles fuient Mopti depuis hier',
          language: 'fr',
          predicted: { threatType: 'displacement', otherThreatTypes: [], urgency: 'past', place: 'Mopti', office: 'mopti' },
          corrected: { threatType: 'attack_on_civilians', otherThreatTypes: [], urgency: 'past', place: 'Mopti', office: 'mopti' },
          fields: ['threatType'],
          by: 'o-diallo',
          at: corrected[0]!.at.toISOString(),
        },
      ]);
    }
  });

  it("LIEU re-routes from Mopti to Gao: the Gao officer gets the card and the alert escalates on Gao's deadline", async () => {
    app = await startTestTamtam({ backend, deployment });
    const alert = await reportAndWaitNotified(app, reporter, 'Hommes armés à Mopti, ils tirent sur le village');
    expect(alert.officeId).toBe('mopti');
    const moptiDeadline = alert.ackDeadline!.getTime();
    expect(moptiDeadline - Date.now()).toBeGreaterThan(50 * 60_000);

    const after = await lastOutboxId(app);
    await app.send('+22370000001', `LIEU ${alert.ref} Gao`);
    const reply = await officerReply(app, '+22370000001', after);
    expect(reply.text).toBe(`Alerte ${alert.ref} corrigée : lieu Gao; transférée à Gao Field Office (1 destinataire prévenu).`);

    const [row] = await alertRows(app);
    expect([row!.officeId, row!.status, row!.escalationLevel, row!.timerSeq]).toEqual(['gao', 'notified', 0, alert.timerSeq + 1]);
    const events = await eventsOf(app, alert.id);
    const rerouted = events.find((e) => e.type === 'rerouted')!;
    expect(rerouted.data).toMatchObject({ from: 'mopti', to: 'gao', reason: 'area', level: 0, recipients: ['officer:o-maiga'] });
    expect(new Date(rerouted.data.deadline as string).getTime()).toBe(row!.ackDeadline!.getTime());
    expect(row!.ackDeadline!.getTime()).toBeLessThan(moptiDeadline);
    // Mopti's timer is gone.
    expect(await app.deps.queues.remove('escalate', { alertId: alert.id, seq: alert.timerSeq })).toBe(false);

    // Mopti's officer sees on his copy of the card where the alert went, and no buttons any more.
    const moved = await eventually(
      async () => (await app.outbox('officer:o-diallo')).find((m) => m.alertId === alert.id && m.purpose === 'card_update'),
      { what: 'the Mopti card edited' },
    );
    expect(moved.text).toContain('Gao Field Office');
    expect(moved.text).toContain('Transférée à Gao Field Office par A. Diallo');
    const { rows: edits } = await app.database.pool.query(
      `select actions from outbound_messages where alert_id = $1 and purpose = 'card_update' and recipient = 'officer:o-diallo'`,
      [alert.id],
    );
    expect(edits.map((e) => e.actions)).toEqual([[]]);

    const card = await eventually(async () => (await app.outbox('officer:o-maiga')).find((m) => m.alertId === alert.id && m.purpose === 'card'));
    expect(card.text).toContain('Lieu : Gao → Gao Field Office');
    expect(card.text).toMatch(/\nAnalyse automatique : \d+ % de confiance · indices : « tirent sur »/);

    // Unacknowledged in Gao: Gao's supervisor at Gao's deadline (3 s), then the JOC.
    const escalated = await eventually(async () => (await eventsOf(app, alert.id)).filter((e) => e.type === 'escalated').at(1), {
      timeout: 20_000,
      what: 'two escalations',
    });
    const escalations = (await eventsOf(app, alert.id)).filter((e) => e.type === 'escalated');
    expect(escalations.map((e) => e.data.recipients)).toEqual([['officer:o-toure'], ['officer:o-joc']]);
    expect(escalations[0]!.data.missedDeadline).toBe(rerouted.data.deadline);
    for (const e of escalations) expect(e.data.lateMs as number).toBeLessThan(1_000);
    expect(escalated.data.level).toBe(2);
    expect((await app.outbox('officer:o-keita')).filter((m) => m.alertId === alert.id)).toEqual([]);
    expect((await app.outbox('officer:o-toure')).filter((m) => m.alertId === alert.id).map((m) => m.purpose)).toEqual(['escalation']);
  });

  it('a new severity moves the acknowledge deadline: a low alert corrected to medium escalates on the medium clock', async () => {
    // Mopti: an hour for low alerts, 3 seconds for medium ones.
    const graded = deployment
      .replace('escalation: slow }\n  - { id: gao', 'escalation: graded }\n  - { id: gao')
      .replace(
        '  fast:',
        '  graded:\n    ackTimeout: { critical: 1h, high: 1h, medium: 3s, low: 1h }\n    levels: [{ notify: [office.officers] }, { notify: [office.supervisors] }]\n    repeatLast: 0\n  fast:',
      );
    app = await startTestTamtam({ backend, deployment: graded });
    const alert = await reportAndWaitNotified(app, reporter, 'Des familles fuient Mopti depuis hier');
    expect([alert.severity, alert.officeId]).toEqual(['low', 'mopti']);
    expect(alert.ackDeadline!.getTime() - alert.notifiedAt!.getTime()).toBe(3_600_000);

    const after = await lastOutboxId(app);
    await app.send('+22370000001', `TYPE ${alert.ref} attaque`);
    expect((await officerReply(app, '+22370000001', after)).text).toBe(
      `Alerte ${alert.ref} corrigée : type Attaque contre des civils, gravité MOYENNE.`,
    );
    const [row] = await alertRows(app);
    expect(row!.ackDeadline!.getTime()).toBe(alert.notifiedAt!.getTime() + 3_000);
    const changed = (await eventsOf(app, alert.id)).find((e) => e.type === 'deadline_changed')!;
    expect(changed).toMatchObject({ actor: 'officer:o-diallo', data: { level: 0, severity: 'medium', to: row!.ackDeadline!.toISOString() } });

    // Nobody acknowledges: the supervisor is called at the medium deadline, not an hour later.
    const escalated = await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'escalated'), {
      timeout: 15_000,
      what: 'the escalation',
    });
    expect(escalated.data).toMatchObject({ level: 1, recipients: ['officer:o-keita'], missedDeadline: row!.ackDeadline!.toISOString() });
    expect(escalated.data.lateMs as number).toBeLessThan(1_000);
  });

  it('GRAVITE raises a medium alert to critical: the deadline moves earlier, escalation fires then, and a later TYPE keeps that severity', async () => {
    // Mopti: 10 seconds for critical alerts, an hour for the rest.
    const graded = deployment
      .replace('escalation: slow }\n  - { id: gao', 'escalation: graded }\n  - { id: gao')
      .replace(
        '  fast:',
        '  graded:\n    ackTimeout: { critical: 10s, high: 1h, medium: 1h, low: 1h }\n    levels: [{ notify: [office.officers] }, { notify: [office.supervisors] }]\n    repeatLast: 0\n  fast:',
      );
    app = await startTestTamtam({ backend, deployment: graded });
    const alert = await reportAndWaitNotified(app, reporter, 'Hommes armés à moto près de Mopti');
    expect([alert.severity, alert.officeId]).toEqual(['medium', 'mopti']);

    let after = await lastOutboxId(app);
    await app.send('+22370000001', `GRAVITE ${alert.ref} critique`);
    expect((await officerReply(app, '+22370000001', after)).text).toBe(`Alerte ${alert.ref} corrigée : gravité CRITIQUE.`);
    const [row] = await alertRows(app);
    expect([row!.severity, row!.timerSeq]).toEqual(['critical', alert.timerSeq + 1]);
    expect(row!.ackDeadline!.getTime()).toBe(alert.notifiedAt!.getTime() + 10_000);
    expect(row!.ackDeadline!.getTime()).toBeLessThan(alert.ackDeadline!.getTime());

    // A new type no longer recomputes the severity the officer set.
    after = await lastOutboxId(app);
    await app.send('+22370000001', `TYPE ${alert.ref} enlèvement + violence sexuelle`);
    expect((await officerReply(app, '+22370000001', after)).text).toBe(
      `Alerte ${alert.ref} corrigée : type Enlèvement, gravité CRITIQUE; aussi Violence sexuelle.`,
    );
    expect((await alertRows(app)).map((a) => [a.threatType, a.otherThreatTypes, a.severity])).toEqual([
      ['abduction', ['sexual_violence'], 'critical'],
    ]);
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'corrected').map((e) => e.data)).toEqual([
      { field: 'severity', from: 'medium', to: 'critical', set: true },
      { field: 'threatType', from: 'armed_group_presence', to: 'abduction' },
      { field: 'otherThreatTypes', from: [], to: ['sexual_violence'] },
    ]);

    // Nobody acknowledges: the supervisor is called at the critical deadline, not an hour later.
    const escalated = await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'escalated'), {
      timeout: 20_000,
      what: 'the escalation',
    });
    expect(escalated.data).toMatchObject({ level: 1, recipients: ['officer:o-keita'], missedDeadline: row!.ackDeadline!.toISOString() });
    expect(escalated.data.lateMs as number).toBeLessThan(1_000);
  });

  it('BUREAU moves an acknowledged alert without restarting any clock; a place with an office given keeps that office', async () => {
    app = await startTestTamtam({ backend, deployment });
    const alert = await reportAndWaitNotified(app, reporter, 'Enlèvement de deux commerçants à Mopti');
    const joc = await correctAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-joc', placeName: 'Gao', officeId: 'mopti' });
    expect(joc).toMatchObject({ outcome: 'done', rerouted: null });
    expect((await alertRows(app))[0]!.officeId).toBe('mopti');

    let after = await lastOutboxId(app);
    await app.send('+22370000001', `OK ${alert.ref}`);
    expect((await officerReply(app, '+22370000001', after)).text).toBe(`Alerte ${alert.ref} prise en charge. Merci.`);
    after = await lastOutboxId(app);
    await app.send('+22370000001', `BUREAU ${alert.ref} Gao Field Office`);
    expect((await officerReply(app, '+22370000001', after)).text).toBe(
      `Alerte ${alert.ref} corrigée : transférée à Gao Field Office (0 destinataire prévenu).`,
    );
    const [row] = await alertRows(app);
    expect([row!.officeId, row!.timerSeq, row!.ackDeadline]).toEqual(['gao', alert.timerSeq, null]);
    const types = (await eventsOf(app, alert.id)).filter((e) => !e.type.endsWith('_sent')).map((e) => [e.type, e.data.field ?? e.data.to ?? null]);
    expect(types.slice(-2)).toEqual([
      ['corrected', 'office'],
      ['rerouted', 'gao'],
    ]);
    expect((await app.outbox('officer:o-maiga')).filter((m) => m.alertId === alert.id)).toEqual([]);
  });
});
