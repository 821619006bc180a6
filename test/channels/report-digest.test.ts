import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderEnv } from '../fakes/env.js';
import { telegramCallbackUpdate, telegramTextUpdate, postTelegramUpdate } from '../fakes/sign.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { alertRows } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';
import { sendWeeklyDigest } from '../../src/workflows/response/weekly-digest.js';

const secret = 'telegram-webhook-secret-2';
const [diallo, keita, joc] = [111111, 222222, 333333];
const [reporterMopti, reporterGao] = [700000101, 700000102];

/** Officers on Telegram: an officer and the supervisor in Mopti, the JOC (in English). */
const deployment = testDeployment({ ackTimeout: '1h' })
  .replace('role: officer, phone: "+22370000001"', `role: officer, telegramId: ${diallo}, phone: "+22370000001"`)
  .replace(
    'o-keita, name: B. Keita, office: mopti, role: supervisor,',
    `o-keita, name: B. Keita, office: mopti, role: supervisor, telegramId: ${keita},`,
  )
  .replace('o-joc, name: JOC duty, office: joc, role: joc,', `o-joc, name: JOC duty, office: joc, role: joc, telegramId: ${joc},`);

describe.each(queueBackends)('/report and the weekly digest on the %s queue backend (fake Bot API)', (backend) => {
  let telegram: FakeTelegram;
  let app: TestTamtam;
  let second: TestTamtam;
  const post = (update: Update) => postTelegramUpdate(app.url!, secret, update);
  const textsTo = (chatId: number) =>
    telegram
      .callsOf('sendMessage')
      .filter((c) => c.params.chat_id === chatId)
      .map((c) => String(c.params.text));
  let mopti: { id: number; ref: string };
  let gao: { id: number; ref: string };

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    const env = fakeProviderEnv({ telegram, webhookSecret: secret });
    app = await startTestTamtam({ backend, deployment, env });
    // A second instance on the same database and queues: two workers, as in production.
    second = await startTestTamtam({ backend, deployment, env, shared: { databaseUrl: app.databaseUrl, namespace: app.namespace } });

    const report = async (text: string, fromId: number) => {
      await post(telegramTextUpdate({ text, fromId }));
      return eventually(async () => (await alertRows(app)).find((a) => a.text === text && a.status === 'notified'), { what: text });
    };
    mopti = await report('Hommes armés à moto près de Mopti', reporterMopti);
    gao = await report('Tirs entendus à Gao ce matin', reporterGao);
    // Mopti: acknowledged, and the officer writes back to the reporter. Gao: nobody acts.
    const card = await eventually(async () => (await telegram.messagesIn(diallo)).find((m) => 'text' in m && m.text?.includes(mopti.ref)));
    await post(telegramCallbackUpdate({ data: `ack:${mopti.ref}`, fromId: diallo, chatId: diallo, messageId: card.message_id }));
    await eventually(async () => (await alertRows(app)).find((a) => a.id === mopti.id)?.status === 'acknowledged', { what: 'the acknowledgement' });
    await post(telegramTextUpdate({ text: 'Combien sont-ils ?', fromId: diallo, replyTo: { messageId: card.message_id, text: 'x' } }));
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === reporterMopti && String(p.text).includes('Combien'));
  });
  afterAll(async () => {
    await second?.stop();
    await app?.stop();
    await telegram?.close();
  });

  it('/report gives a supervisor this month’s figures for their office, and the JOC every office’s', async () => {
    await post(telegramTextUpdate({ text: '/report', fromId: keita }));
    const supervisor = await telegram.waitForCall('sendMessage', (p) => p.chat_id === keita && String(p.text).startsWith('📊'));
    const text = String(supervisor.params.text);
    expect(text).toMatch(/^📊 Réponse aux alertes, \S+ \d{4}\n\nMopti Field Office\nReçues 1 · prises en charge 1 \(100 %\) · à temps 1 \(100 %\)\n/);
    expect(text).toContain('Escaladées 0 · réponse au rapporteur 1 · closes 0 (dont 0 avec réponse) · ouvertes 1');
    expect(text).not.toContain('Gao');

    await post(telegramTextUpdate({ text: '/report', fromId: joc }));
    const jocReport = String((await telegram.waitForCall('sendMessage', (p) => p.chat_id === joc && String(p.text).startsWith('📊'))).params.text);
    expect(jocReport).toContain('Mopti Field Office\nReceived 1 · acknowledged 1 (100 %)');
    expect(jocReport).toContain('Gao Field Office\nReceived 1 · acknowledged 0 (0 %) · in time 0 (0 %)');
    expect(jocReport).toContain('Mission JOC\nNo alert received.');
    expect(jocReport).toContain('Whole mission\nReceived 2 · acknowledged 1 (50 %) · in time 1 (50 %)');
  });

  it('/metrics shows time to acknowledge by office and severity, and who waits for a reply', async () => {
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const severity = (await alertRows(app)).find((a) => a.id === mopti.id)!.severity;
    expect(metrics).toContain(`tamtam_time_to_acknowledge_seconds_count{office="mopti",severity="${severity}"} 1`);
    expect(metrics).toContain(`tamtam_time_to_acknowledge_seconds_bucket{office="mopti",severity="${severity}",le="60"} 1`);
    expect(metrics).not.toContain('tamtam_time_to_acknowledge_seconds_count{office="gao"');
    expect(metrics).toContain('tamtam_reporters_waiting_for_reply{office="gao"} 1');
    expect(metrics).not.toContain('tamtam_reporters_waiting_for_reply{office="mopti"}');
    // Not yet past its one-hour deadline.
    expect(metrics).not.toContain('tamtam_alerts_overdue{office="gao"}');
  });

  it('the weekly digest reaches each supervisor and the JOC once, with what is overdue and who waits for a reply', async () => {
    // The schedule lives in the queue: Monday 08:00 in the mission's time zone.
    expect(await app.deps.queues.get('maintenance').getJobScheduler('weekly-digest')).toMatchObject({ pattern: '0 8 * * 1', tz: 'UTC' });

    // Tomorrow's digest covers today; both instances run it at once.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const sent = await Promise.all([sendWeeklyDigest(app.deps, tomorrow), sendWeeklyDigest(second.deps, tomorrow)]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(2);
    const digestsTo = (chatId: number) => textsTo(chatId).filter((t) => t.includes('📊 ') && /(Bilan de la semaine|Week of)/.test(t));
    await eventually(async () => digestsTo(keita).length === 1 && digestsTo(joc).length === 1, { what: 'the digests' });

    const supervisor = digestsTo(keita)[0]!;
    expect(supervisor).toContain('Mopti Field Office\nReçues 1 · prises en charge 1 (100 %)');
    expect(supervisor).toContain('⏰ Aucune alerte en retard.');
    expect(supervisor).toContain("💬 Aucun rapporteur n'attend de réponse.");
    const jocDigest = digestsTo(joc)[0]!;
    expect(jocDigest).toContain(`⏰ Unacknowledged past their deadline (1): ${gao.ref}`);
    expect(jocDigest).toMatch(new RegExp(`💬 Reporters waiting for a reply \\(1\\): PF-[0-9A-F]{4} \\(${gao.ref}\\)`));
    for (const text of [supervisor, jocDigest]) for (const id of [reporterMopti, reporterGao]) expect(text).not.toContain(String(id));
    expect(digestsTo(diallo)).toEqual([]);

    // The same week again (a retry, the scheduler on another worker) sends nothing more.
    expect(await sendWeeklyDigest(app.deps, tomorrow)).toBe(0);
  });
});
