import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeTelegram } from '../fakes/telegram-api.js';
import { startWithFakeTelegram } from '../helpers/providers.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../fakes/sign.js';
import { alertRows, eventsOf } from '../helpers/alerts.js';
import { eventually, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

const secret = 'telegram-webhook-secret-2';
const diallo = 111111;
const traore = 111112;
const keita = 222222;
const maiga = 111121;
const group = -1001234567890;

/**
 * The test deployment with Telegram ids and a Mopti group; Mopti has 20 s to acknowledge a critical
 * alert and an hour for anything else, so only a severity corrected to critical escalates in the test.
 */
const deployment = testDeployment({ ackTimeout: '1h', repeatLast: 0 })
  .replace('role: officer, phone: "+22370000001"', `role: officer, telegramId: ${diallo}, phone: "+22370000001"`)
  .replace(
    'o-traore, name: F. Traoré, office: mopti, role: officer,',
    `o-traore, name: F. Traoré, office: mopti, role: officer, telegramId: ${traore},`,
  )
  .replace(
    'o-keita, name: B. Keita, office: mopti, role: supervisor,',
    `o-keita, name: B. Keita, office: mopti, role: supervisor, telegramId: ${keita},`,
  )
  .replace('o-maiga, name: H. Maïga, office: gao, role: officer,', `o-maiga, name: H. Maïga, office: gao, role: officer, telegramId: ${maiga},`)
  .replace('location: [14.49, -4.19] }', `location: [14.49, -4.19], telegramChatId: ${group} }`)
  .replace('- notify: [office.officers]', '- notify: [office.officers, office.group]')
  .replace('ackTimeout: { critical: 1h,', 'ackTimeout: { critical: 20s,');

type Keyboard = { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
const buttonsOf = (markup: unknown) => ((markup as Keyboard)?.inline_keyboard ?? []).flat();

describe('correcting an alert with the card’s buttons (fake Bot API over HTTP)', () => {
  let telegram: FakeTelegram;
  let app: TestTamtam;
  const post = (update: Update) =>
    fetch(`${app.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });
  const cardIn = (chatId: number, ref: string) => telegram.messagesIn(chatId).find((m) => 'text' in m && m.text?.includes(ref));

  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ app, telegram, stop } = await startWithFakeTelegram({ deployment, secret }));
  });
  afterAll(() => stop?.());

  /** A reporter writes to the bot; resolves with the alert once the Mopti officers and group have their cards. */
  async function report(text: string, from: number) {
    expect((await post(telegramTextUpdate({ text, fromId: from }))).status).toBe(200);
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.text === text && a.status === 'notified'), { what: 'the alert' });
    await eventually(async () => [diallo, traore, group].every((chat) => cardIn(chat, alert.ref)), { what: 'the cards' });
    return alert;
  }

  /** Presses a button on an officer's copy of the card; resolves with the answer to the press. */
  async function press(officer: number, ref: string, data: string) {
    const before = telegram.callsOf('answerCallbackQuery').length;
    const card = cardIn(officer, ref)!;
    expect((await post(telegramCallbackUpdate({ data, fromId: officer, chatId: officer, messageId: card.message_id }))).status).toBe(200);
    return eventually(async () => telegram.callsOf('answerCallbackQuery')[before], { what: `the answer to ${data}` });
  }
  /** The buttons now under an officer's copy of the card. */
  const keyboardOf = (chatId: number, ref: string) => buttonsOf(cardIn(chatId, ref)?.reply_markup);
  /** Waits until every listed copy of the card reads `text`. */
  const everyCopyShows = (chats: number[], ref: string, text: string) =>
    eventually(async () => chats.every((chat) => (cardIn(chat, ref) as { text?: string } | undefined)?.text?.includes(text)), {
      what: `every copy showing ${text}`,
    });

  it('Correct opens a keyboard on the card; severity, type and other types are set at a tap; a critical severity escalates on the critical clock', async () => {
    const alert = await report('Hommes armés à moto près de Mopti', 700000101);
    expect([alert.threatType, alert.severity]).toEqual(['armed_group_presence', 'medium']);
    expect(alert.ackDeadline!.getTime() - alert.notifiedAt!.getTime()).toBe(3_600_000);
    const ref = alert.ref;
    expect(keyboardOf(diallo, ref).map((b) => b.callback_data)).toContain(`fix:${ref}`);

    // The menu replaces the buttons on Diallo's copy only.
    await press(diallo, ref, `fix:${ref}`);
    await eventually(async () => keyboardOf(diallo, ref).some((b) => b.callback_data === `fix:sev:${ref}`), { what: 'the menu' });
    expect(keyboardOf(diallo, ref).map((b) => [b.text, b.callback_data])).toEqual([
      ['Type', `fix:type:${ref}`],
      ['Gravité', `fix:sev:${ref}`],
      ['Lieu', `fix:place:${ref}`],
      ['Bureau', `fix:office:${ref}`],
      ['↩️ Retour', `fix:back:${ref}`],
    ]);
    expect(keyboardOf(traore, ref).map((b) => b.callback_data)).toContain(`ack:${ref}`);
    for (const b of keyboardOf(diallo, ref)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    // Severity: medium → critical. The deadline moves from an hour to 20 s after the notification.
    await press(diallo, ref, `fix:sev:${ref}`);
    await eventually(async () => keyboardOf(diallo, ref).some((b) => b.callback_data === `fix:s:critical:${ref}`), { what: 'the severities' });
    expect(keyboardOf(diallo, ref).find((b) => b.callback_data === `fix:s:medium:${ref}`)?.text).toBe('✅ MOYENNE');
    const answer = await press(diallo, ref, `fix:s:critical:${ref}`);
    expect(answer.params.text).toBe(`Alerte ${ref} corrigée : gravité CRITIQUE.`);
    let [row] = (await alertRows(app)).filter((a) => a.id === alert.id);
    expect(row!.severity).toBe('critical');
    expect(row!.ackDeadline!.getTime()).toBe(alert.notifiedAt!.getTime() + 20_000);
    expect(row!.timerSeq).toBe(alert.timerSeq + 1);
    // Every copy is edited to the new severity, with the usual buttons back.
    await everyCopyShows([diallo, traore, group], ref, `ALERTE ${ref} · CRITIQUE`);
    await eventually(async () => keyboardOf(diallo, ref).some((b) => b.callback_data === `ack:${ref}`), { what: 'the buttons back' });

    // Type: a tap makes Abduction the primary type; the severity set by the officer stays.
    await press(diallo, ref, `fix:type:${ref}`);
    await eventually(async () => keyboardOf(diallo, ref).some((b) => b.callback_data === `fix:also:${ref}`), { what: 'the types' });
    expect(keyboardOf(diallo, ref)[1]).toEqual({ text: '✅ Présence de groupe armé', callback_data: `fix:t:1:${ref}` });
    await press(diallo, ref, `fix:t:2:${ref}`);
    await everyCopyShows([diallo, traore, group], ref, 'Enlèvement (');
    // Also: sexual violence, ticked in the second keyboard.
    await eventually(async () => keyboardOf(diallo, ref).some((b) => b.callback_data === `fix:${ref}`), { what: 'the buttons back' });
    await press(traore, ref, `fix:type:${ref}`);
    await press(traore, ref, `fix:also:${ref}`);
    await eventually(async () => keyboardOf(traore, ref).some((b) => b.callback_data === `fix:a:3:${ref}`), { what: 'the other types' });
    const also = await press(traore, ref, `fix:a:3:${ref}`);
    expect(also.params.text).toBe(`Alerte ${ref} corrigée : aussi Violence sexuelle.`);
    await everyCopyShows([diallo, traore, group], ref, 'Enlèvement · aussi : Violence sexuelle (');

    [row] = (await alertRows(app)).filter((a) => a.id === alert.id);
    expect([row!.threatType, row!.otherThreatTypes, row!.severity]).toEqual(['abduction', ['sexual_violence'], 'critical']);
    const corrected = (await eventsOf(app, alert.id)).filter((e) => e.type === 'corrected');
    expect(corrected.map((e) => [e.actor, e.data])).toEqual([
      ['officer:o-diallo', { field: 'severity', from: 'medium', to: 'critical', set: true }],
      ['officer:o-diallo', { field: 'threatType', from: 'armed_group_presence', to: 'abduction' }],
      ['officer:o-traore', { field: 'otherThreatTypes', from: [], to: ['sexual_violence'] }],
    ]);

    // The API and the export show the other types.
    expect(await (await app.api(`/api/alerts/${ref}`)).json()).toMatchObject({ threatType: 'abduction', otherThreatTypes: ['sexual_violence'] });
    const day = new Date().toISOString().slice(0, 10);
    const next = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const csv = (await (await app.api(`/api/exports/alerts.csv?from=${day}&to=${next}`)).text()).replace(/^\uFEFF/, '').split('\r\n');
    const header = csv[0]!.split(',');
    const line = csv.find((l) => l.includes(ref))!.split(',');
    expect([line[header.indexOf('threat_type')], line[header.indexOf('other_threat_types')]]).toEqual(['abduction', 'sexual_violence']);

    // Unacknowledged: the supervisor is called at the critical deadline, 20 s after the cards, not an hour.
    const escalated = await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'escalated'), {
      timeout: 30_000,
      what: 'the escalation',
    });
    expect(escalated.data).toMatchObject({ level: 1, recipients: ['officer:o-keita'], missedDeadline: row!.ackDeadline!.toISOString() });
    expect(escalated.data.lateMs as number).toBeLessThan(1_000);
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === keita && String(p.text).includes(ref));
  }, 60_000);

  it('moving to another office at a tap: the old office’s cards say where it went, without buttons; Gao gets the card', async () => {
    const alert = await report('Enlèvement de deux commerçants à Mopti', 700000102);
    const ref = alert.ref;
    await press(traore, ref, `fix:office:${ref}`);
    await eventually(async () => keyboardOf(traore, ref).some((b) => b.callback_data === `fix:o:gao:${ref}`), { what: 'the offices' });
    expect(keyboardOf(traore, ref).find((b) => b.callback_data === `fix:o:mopti:${ref}`)?.text).toBe('✅ Mopti Field Office');
    const answer = await press(traore, ref, `fix:o:gao:${ref}`);
    expect(answer.params.text).toBe(`Alerte ${ref} corrigée : transférée à Gao Field Office (1 destinataire prévenu).`);

    await everyCopyShows([diallo, traore, group], ref, 'Transférée à Gao Field Office par F. Traoré');
    for (const chat of [diallo, traore, group]) expect(keyboardOf(chat, ref)).toEqual([]);
    const card = await telegram.waitForCall('sendMessage', (p) => p.chat_id === maiga && String(p.text).includes(ref));
    expect(String(card.params.text)).not.toContain('Transférée');
    expect(buttonsOf(card.params.reply_markup).map((b) => b.callback_data)).toContain(`ack:${ref}`);
    const [row] = (await alertRows(app)).filter((a) => a.id === alert.id);
    expect([row!.officeId, row!.escalationLevel, row!.timerSeq]).toEqual(['gao', 0, alert.timerSeq + 1]);
    expect((await eventsOf(app, alert.id)).find((e) => e.type === 'rerouted')).toMatchObject({
      actor: 'officer:o-traore',
      data: { from: 'mopti', to: 'gao', reason: 'officer', recipients: ['officer:o-maiga'] },
    });

    // Mopti may no longer correct it.
    const refused = await press(diallo, ref, `fix:${ref}`);
    expect(refused.params).toMatchObject({ text: `Vous ne pouvez pas agir sur l'alerte ${ref} : elle relève d'un autre bureau.`, show_alert: true });
    const choice = await press(diallo, ref, `fix:t:0:${ref}`);
    expect(choice.params).toMatchObject({ text: `Vous ne pouvez pas agir sur l'alerte ${ref} : elle relève d'un autre bureau.`, show_alert: true });
    expect((await alertRows(app)).find((a) => a.id === alert.id)?.threatType).toBe('abduction');
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'action_refused').map((e) => [e.actor, e.data.action])).toEqual([
      ['officer:o-diallo', 'correct'],
    ]);
    expect(keyboardOf(diallo, ref)).toEqual([]);
  });

  it('Place offers the places the message names, and Type it takes the place in a reply', async () => {
    const alert = await report('Des hommes armés ont attaqué un village entre Bandiagara et Douentza', 700000103);
    const ref = alert.ref;
    await press(diallo, ref, `fix:place:${ref}`);
    const places = await eventually(
      async () => {
        const buttons = keyboardOf(diallo, ref);
        return buttons.some((b) => b.callback_data === `fix:ask:${ref}`) ? buttons : undefined;
      },
      { what: 'the places' },
    );
    // The places the message names first (Bandiagara, Douentza), then the units of Mopti's area.
    const names = places.filter((b) => b.callback_data.startsWith('fix:p:')).map((b) => b.text.replace(/^✅ /, '').replace(/ \(.*\)$/, ''));
    expect(names.slice(0, 2).sort()).toEqual(['Bandiagara', 'Douentza']);
    expect(names).toContain('Djenné');
    expect(new Set(names).size).toBe(names.length);
    expect(places.filter((b) => b.text.startsWith('✅'))).toHaveLength(alert.placeId ? 1 : 0);

    await press(diallo, ref, `fix:ask:${ref}`);
    const prompt = await telegram.waitForCall('sendMessage', (p) => p.chat_id === diallo && String(p.text).startsWith(`📍 ${ref}`));
    expect(prompt.params.reply_markup).toMatchObject({ force_reply: true });
    const promptId = telegram.messagesIn(diallo).find((m) => 'text' in m && m.text?.startsWith(`📍 ${ref}`))!.message_id;
    await post(telegramTextUpdate({ text: 'Mopti', fromId: diallo, replyTo: { messageId: promptId, text: String(prompt.params.text) } }));
    const reply = await telegram.waitForCall('sendMessage', (p) => p.chat_id === diallo && String(p.text).startsWith(`Alerte ${ref} corrigée`));
    expect(reply.params.text).toBe(`Alerte ${ref} corrigée : lieu Mopti.`);
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'corrected').map((e) => e.data.field)).toEqual(['place']);
    // Nothing reached the reporter.
    expect(telegram.callsOf('sendMessage').filter((c) => c.params.chat_id === 700000103 && String(c.params.text).includes('Mopti'))).toEqual([]);
  });
});
