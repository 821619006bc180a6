import { sql } from 'drizzle-orm';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderEnv } from '../fakes/env.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../fakes/sign.js';
import { inboundMeta } from '../../src/workflows/alerts/inbound-meta.js';
import { actOnAlert } from '../../src/workflows/officers/actions.js';
import { alertRows, eventsOf } from '../helpers/alerts.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

const secret = 'telegram-webhook-secret-1';
const reporterId = 700000001;
const diallo = 111111;
const traore = 111112;
const maiga = 111121;
const group = -1001234567890;

/** The test deployment, with Telegram ids for the officers and a group for the Mopti office. */
const deployment = testDeployment({ ackTimeout: '1h' })
  .replace('role: officer, phone: "+22370000001"', 'role: officer, telegramId: 111111, phone: "+22370000001"')
  .replace('o-traore, name: F. Traoré, office: mopti, role: officer,', 'o-traore, name: F. Traoré, office: mopti, role: officer, telegramId: 111112,')
  .replace(
    'o-keita, name: B. Keita, office: mopti, role: supervisor,',
    'o-keita, name: B. Keita, office: mopti, role: supervisor, telegramId: 222222,',
  )
  .replace('o-maiga, name: H. Maïga, office: gao, role: officer,', 'o-maiga, name: H. Maïga, office: gao, role: officer, telegramId: 111121,')
  .replace('location: [14.49, -4.19] }', `location: [14.49, -4.19], telegramChatId: ${group} }`)
  .replace('- notify: [office.officers]', '- notify: [office.officers, office.group]');

describe('the Telegram channel (fake Bot API over HTTP)', () => {
  let telegram: FakeTelegram;
  let app: TestTamtam;
  const logs: string[] = [];
  const post = (update: Update, token: string | null = secret) =>
    fetch(`${app.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-telegram-bot-api-secret-token': token } : {}) },
      body: JSON.stringify(update),
    });
  const cardsFor = (chatId: number, ref: string) =>
    telegram.callsOf('sendMessage').filter((c) => c.params.chat_id === chatId && String(c.params.text).includes(ref));

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    app = await startTestTamtam({
      backend: 'redis',
      deployment,
      logLines: logs,
      env: fakeProviderEnv({ telegram, webhookSecret: secret }),
    });
  });
  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
  });

  /** A reporter writes to the bot; resolves with the alert once the Mopti officers have their cards. */
  async function report(text: string, from = reporterId) {
    expect((await post(telegramTextUpdate({ text, fromId: from }))).status).toBe(200);
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.text === text && a.status === 'notified'), { what: 'the alert' });
    await eventually(
      async () => cardsFor(diallo, alert.ref).length > 0 && cardsFor(traore, alert.ref).length > 0 && cardsFor(group, alert.ref).length > 0,
      { what: 'the cards' },
    );
    return alert;
  }

  /** Lets earlier tests' messages (paced per chat) leave first, so an injected failure hits this test's. */
  async function earlierMessagesSent() {
    await eventually(
      async () => {
        const { rows } = await app.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from outbound_messages where status = 'queued'`);
        return rows[0]!.n === 0;
      },
      { what: 'earlier messages sent' },
    );
    await new Promise((r) => setTimeout(r, 1_000));
  }

  it('sets its webhook with the secret at start', () => {
    expect(telegram.webhookUrl()).toMatch(/^http:\/\/localhost:\d+\/webhooks\/telegram$/);
    expect(telegram.callsOf('setWebhook')[0]?.params).toMatchObject({ secret_token: secret });
  });

  it('refuses updates without the right secret token', async () => {
    expect((await post(telegramTextUpdate({ text: 'test', fromId: 1 }), null)).status).toBe(401);
    expect((await post(telegramTextUpdate({ text: 'test', fromId: 1 }), 'wrong')).status).toBe(401);
    expect(logs.some((l) => l.includes('refused Telegram webhook'))).toBe(true);
  });

  it('turns a reporter’s message into an alert card for each Mopti officer and the office group, with buttons and no identity', async () => {
    const alert = await report('Des hommes armés ont attaqué le marché de Mopti, il y a des blessés');
    const card = cardsFor(diallo, alert.ref)[0]!.params;
    expect(String(card.text)).toContain(`ALERTE ${alert.ref}`);
    expect(String(card.text)).toContain('Attaque contre des civils');
    expect(String(card.text)).toMatch(/Source : PF-[0-9A-F]{4}/);
    expect(String(card.text)).not.toContain(String(reporterId));
    const buttons = (card.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
    expect(buttons.map((b) => b.callback_data)).toEqual([
      `ack:${alert.ref}`,
      `responding:${alert.ref}`,
      `resolve:${alert.ref}`,
      `dismiss:${alert.ref}`,
      `escalate:${alert.ref}`,
      `fix:${alert.ref}`,
    ]);
    expect(cardsFor(maiga, alert.ref)).toEqual([]);
    // The reporter got the confirmation in their chat.
    const confirmation = await telegram.waitForCall('sendMessage', (p) => p.chat_id === reporterId && String(p.text).includes(alert.ref));
    expect(String(confirmation.params.text)).toMatch(/^Merci, alerte enregistrée/);
  });

  it('a redelivered update changes nothing', async () => {
    const update = telegramTextUpdate({ text: 'Tirs entendus à Mopti', fromId: 700000002 });
    for (let i = 0; i < 5; i++) expect((await post(update)).status).toBe(200);
    await eventually(async () => (await alertRows(app)).some((a) => a.text === 'Tirs entendus à Mopti'));
    await new Promise((r) => setTimeout(r, 300));
    expect((await alertRows(app)).filter((a) => a.text === 'Tirs entendus à Mopti')).toHaveLength(1);
  });

  it('Acknowledge edits every copy of the card; the second officer is told who was first; an outsider is refused', async () => {
    const alert = await report('Enlèvement de trois personnes à Mopti ce matin', 700000003);
    const dialloCard = cardsFor(diallo, alert.ref)[0]!;
    const messageId = (await telegram.messagesIn(diallo)).find((m) => 'text' in m && m.text?.includes(alert.ref))!.message_id;
    const press = (fromId: number) =>
      post(telegramCallbackUpdate({ data: `ack:${alert.ref}`, fromId, chatId: fromId, messageId, messageText: String(dialloCard.params.text) }));
    expect((await press(diallo)).status).toBe(200);
    await eventually(async () => (await alertRows(app)).find((a) => a.id === alert.id)?.status === 'acknowledged');
    expect((await press(traore)).status).toBe(200);
    const answers = await eventually(async () =>
      telegram.callsOf('answerCallbackQuery').length >= 2 ? telegram.callsOf('answerCallbackQuery') : undefined,
    );
    expect(answers.map((a) => a.params.text)).toEqual(
      expect.arrayContaining([`Alerte ${alert.ref} prise en charge. Merci.`, `Alerte ${alert.ref} déjà prise en charge par A. Diallo.`]),
    );
    // Every copy (both officers and the group) edited to show who acknowledged.
    const edits = await eventually(
      async () => {
        const calls = telegram.callsOf('editMessageText').filter((c) => String(c.params.text).includes(alert.ref));
        return calls.length >= 3 ? calls : undefined;
      },
      { what: 'three card edits' },
    );
    expect(new Set(edits.map((e) => e.params.chat_id))).toEqual(new Set([diallo, traore, group]));
    for (const e of edits) expect(String(e.params.text)).toMatch(/Statut : prise en charge par A\. Diallo à \d\d:\d\d UTC/);

    // An officer of another office pressing a button is refused and logged.
    const before = telegram.callsOf('answerCallbackQuery').length;
    await post(telegramCallbackUpdate({ data: `resolve:${alert.ref}`, fromId: maiga, chatId: maiga, messageId }));
    const refusal = await eventually(async () => telegram.callsOf('answerCallbackQuery')[before]);
    expect(refusal.params.text).toBe(`Vous ne pouvez pas agir sur l'alerte ${alert.ref} : elle relève d'un autre bureau.`);
    expect((await eventsOf(app, alert.id)).some((e) => e.type === 'action_refused' && e.actor === 'officer:o-maiga')).toBe(true);
    // Someone who is not an officer at all.
    await post(telegramCallbackUpdate({ data: `resolve:${alert.ref}`, fromId: 999999, chatId: 999999, messageId }));
    const stranger = await eventually(async () => telegram.callsOf('answerCallbackQuery')[before + 1]);
    expect(stranger.params.text).toBe('Action réservée aux agents de la mission.');
    expect(logs.some((l) => l.includes('button pressed by someone who is not an officer'))).toBe(true);
    expect((await alertRows(app)).find((a) => a.id === alert.id)?.status).toBe('acknowledged');
  });

  it('a reply to a card reaches the reporter, and the reporter’s answer comes back to the officer', async () => {
    const reporter = 700000004;
    const alert = await report('Hommes armés à moto près de Mopti', reporter);
    const card = (await telegram.messagesIn(traore)).find((m) => 'text' in m && m.text?.includes(alert.ref))!;
    await post(
      telegramTextUpdate({ text: 'Combien sont-ils ? Dans quelle direction ?', fromId: traore, replyTo: { messageId: card.message_id, text: 'x' } }),
    );
    const question = await telegram.waitForCall('sendMessage', (p) => p.chat_id === reporter && String(p.text).includes('Combien'));
    expect(question.params.text).toBe(`Mission, alerte ${alert.ref} : Combien sont-ils ? Dans quelle direction ?`);
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === traore && String(p.text).startsWith('Message transmis à PF-'));

    await post(telegramTextUpdate({ text: 'Une quinzaine, vers Sévaré', fromId: reporter }));
    const answer = await telegram.waitForCall('sendMessage', (p) => p.chat_id === traore && String(p.text).includes('Une quinzaine'));
    expect(String(answer.params.text)).toMatch(new RegExp(`^Réponse de PF-[0-9A-F]{4} \\(alerte ${alert.ref}\\)`));
  });

  it('a reply too long for the reporter is not sent, and the officer is told how long it may be', async () => {
    const reporter = 700000007;
    const alert = await report('Des coups de feu entendus près de Mopti', reporter);
    const card = (await telegram.messagesIn(traore)).find((m) => 'text' in m && m.text?.includes(alert.ref))!;
    const long = `Restez à l'abri. ${'Nous envoyons une patrouille. '.repeat(25)}`;
    await post(telegramTextUpdate({ text: long, fromId: traore, replyTo: { messageId: card.message_id, text: 'x' } }));
    const refused = await telegram.waitForCall('sendMessage', (p) => p.chat_id === traore && String(p.text).startsWith('Non envoyé'));
    expect(refused.params.text).toBe(
      `Non envoyé : votre réponse a ${[...long].length} caractères, au plus 600 parviennent au rapporteur (alerte ${alert.ref}). Raccourcissez-la et renvoyez-la.`,
    );
    expect(telegram.callsOf('sendMessage').filter((c) => c.params.chat_id === reporter && String(c.params.text).includes('patrouille'))).toEqual([]);
    expect((await eventsOf(app, alert.id)).map((e) => e.type)).not.toContain('reply_bridged');
  });

  it('greets officers with /start, lists open alerts with /alerts, and switches language with /lang', async () => {
    await post(telegramTextUpdate({ text: '/start', fromId: diallo }));
    const hello = await telegram.waitForCall('sendMessage', (p) => p.chat_id === diallo && String(p.text).startsWith('Bonjour'), 10_000);
    expect(hello.params.text).toContain('Mopti Field Office');
    await post(telegramTextUpdate({ text: '/alerts', fromId: diallo }));
    const list = await telegram.waitForCall('sendMessage', (p) => p.chat_id === diallo && /alerte\(s\) ouverte\(s\)/.test(String(p.text)), 10_000);
    const open = (await alertRows(app)).filter((a) => a.officeId === 'mopti' && ['new', 'notified', 'acknowledged', 'responding'].includes(a.status));
    for (const a of open) expect(String(list.params.text)).toContain(a.ref);
    await post(telegramTextUpdate({ text: '/lang en', fromId: maiga }));
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === maiga && p.text === 'Language set: English.', 10_000);
  });

  it('retries a message after Telegram’s 429, waiting retry_after', async () => {
    await earlierMessagesSent();
    telegram.failNext('sendMessage', { status: 429, retryAfter: 1 }, 1);
    const started = Date.now();
    const alert = await report('Engin explosif trouvé sur la route de Mopti', 700000005);
    const rows = await eventually(
      async () => {
        const { rows } = await app.deps.db.execute<{ status: string; attempts: number; sent_at: Date | null }>(
          sql`select status, attempts, sent_at from outbound_messages where alert_id = ${alert.id} and purpose in ('card', 'confirmation')`,
        );
        return rows.length === 4 && rows.every((r) => r.status === 'sent') ? rows : undefined;
      },
      { what: 'every message sent' },
    );
    const throttled = rows.filter((r) => r.attempts > 1);
    expect(throttled).toHaveLength(1);
    expect(new Date(throttled[0]!.sent_at!).getTime() - started).toBeGreaterThanOrEqual(1_000);
    expect((await eventsOf(app, alert.id)).filter((e) => e.type.endsWith('_failed'))).toEqual([]);
  });

  it('a card Telegram held back that goes out after the acknowledgement is then edited to say who took it', async () => {
    await earlierMessagesSent();
    // Telegram turns away the three cards and the confirmation for two seconds.
    telegram.failNext('sendMessage', { status: 429, retryAfter: 2 }, 4);
    const text = 'Coups de feu au marché de Mopti, deux blessés';
    expect((await post(telegramTextUpdate({ text, fromId: 700000006 }))).status).toBe(200);
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.text === text && a.status === 'notified'), { what: 'the alert' });
    await eventually(
      async () => {
        const { rows } = await app.deps.db.execute<{ n: number }>(
          sql`select count(*)::int as n from outbound_messages where alert_id = ${alert.id} and purpose = 'card' and status = 'queued' and attempts = 1`,
        );
        return rows[0]!.n === 3;
      },
      { what: 'the three cards held back' },
    );

    // Diallo acknowledges (by SMS, say) while the cards are still waiting: there is nothing to edit yet.
    expect(await actOnAlert(app.deps, { alert: { id: alert.id }, officerId: 'o-diallo', action: 'acknowledge' })).toMatchObject({ outcome: 'done' });

    // Each card goes out as it was written, then is edited in place to show the acknowledgement.
    const edits = await eventually(
      async () => {
        const calls = telegram.callsOf('editMessageText').filter((c) => String(c.params.text).includes(alert.ref));
        return calls.length >= 3 ? calls : undefined;
      },
      { what: 'three card edits' },
    );
    expect(new Set(edits.map((e) => e.params.chat_id))).toEqual(new Set([diallo, traore, group]));
    for (const edit of edits) {
      expect(String(edit.params.text)).toMatch(/Statut : prise en charge par A\. Diallo à \d\d:\d\d UTC/);
      const card = (await telegram.messagesIn(Number(edit.params.chat_id))).find((m) => 'text' in m && m.text?.includes(alert.ref))!;
      expect(edit.params.message_id).toBe(card.message_id);
    }
    // Telegram has the edits; their outcomes are recorded just after.
    const rows = await eventually(
      async () => {
        const { rows } = await app.deps.db.execute<{ status: string }>(
          sql`select status from outbound_messages where alert_id = ${alert.id} and purpose = 'card_update'`,
        );
        return rows.some((r) => r.status === 'queued') ? undefined : rows;
      },
      { what: 'the edits recorded' },
    );
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('keeps to about one message a second per chat when alerts come in a burst', async () => {
    const texts = ['Tirs à Mopti (1)', 'Tirs à Mopti (2)', 'Tirs à Mopti (3)'];
    await Promise.all(texts.map((text, i) => post(telegramTextUpdate({ text, fromId: 700000010 + i }))));
    const cards = await eventually(
      async () => {
        const calls = telegram
          .callsOf('sendMessage')
          .filter((c) => c.params.chat_id === diallo && texts.some((t) => String(c.params.text).includes(t)));
        return calls.length === 3 ? calls : undefined;
      },
      { what: 'three cards to one officer' },
    );
    // The sends are a second apart; what the fake sees may be a little less, by the delivery's jitter
    // on a busy machine (seen: 899 ms). Without the pacing they would arrive milliseconds apart.
    const times = cards.map((c) => new Date(c.at).getTime()).sort((a, b) => a - b);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(800);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(800);
  });

  it('Resolve asks what was done on the card itself; ticking outcomes edits every copy and is recorded; an outsider cannot tick', async () => {
    await earlierMessagesSent();
    const alert = await report('Des hommes armés ont brûlé des greniers à Mopti', 700000040);
    const messageId = (await telegram.messagesIn(diallo)).find((m) => 'text' in m && m.text?.includes(alert.ref))!.message_id;
    const press = (data: string, fromId = diallo) => post(telegramCallbackUpdate({ data, fromId, chatId: fromId, messageId }));
    const latestCard = (chatId: number) =>
      telegram
        .callsOf('editMessageText')
        .filter((c) => c.params.chat_id === chatId && String(c.params.text).includes(alert.ref))
        .at(-1);
    const buttonsOf = (call: ReturnType<typeof latestCard>) =>
      ((call?.params.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard ?? []).flat();

    expect((await press(`resolve:${alert.ref}`)).status).toBe(200);
    const asked = await eventually(
      async () => {
        const card = latestCard(traore);
        return card && String(card.params.text).includes("Qu'a-t-on fait ?") ? card : undefined;
      },
      { what: 'the resolved card asking what was done' },
    );
    expect(buttonsOf(asked).map((b) => b.callback_data)).toEqual(
      ['patrol', 'engagement', 'authorities', 'humanitarian', 'no_action_possible', 'false_alarm'].map((id) => `out:${id}:${alert.ref}`),
    );

    await press(`out:patrol:${alert.ref}`);
    await eventually(async () => String(latestCard(group)?.params.text).includes('Réponse : Patrouille ou présence'), { what: 'patrol shown' });
    await press(`out:authorities:${alert.ref}`, traore);
    const shown = await eventually(
      async () => {
        const card = latestCard(diallo);
        return String(card?.params.text).includes('Réponse : Patrouille ou présence, Autorités alertées') ? card : undefined;
      },
      { what: 'both outcomes shown on every copy' },
    );
    expect(
      buttonsOf(shown)
        .filter((b) => b.text.startsWith('☑️'))
        .map((b) => b.callback_data),
    ).toEqual([`out:patrol:${alert.ref}`, `out:authorities:${alert.ref}`]);
    const answer = await telegram.waitForCall('answerCallbackQuery', (p) => String(p.text).includes('Autorités alertées'));
    expect(answer.params.text).toBe(`Alerte ${alert.ref} : réponse enregistrée (Patrouille ou présence, Autorités alertées).`);

    // Unticking leaves the rest; an officer of another office is refused and changes nothing.
    await press(`out:patrol:${alert.ref}`);
    await eventually(async () => String(latestCard(diallo)?.params.text).includes('Réponse : Autorités alertées'), { what: 'patrol unticked' });
    await press(`out:engagement:${alert.ref}`, maiga);
    await telegram.waitForCall('answerCallbackQuery', (p) => String(p.text).includes("relève d'un autre bureau"));
    const recorded = (await eventsOf(app, alert.id)).filter((e) => e.type === 'outcome_recorded');
    expect(recorded.map((e) => [e.actor, e.data.outcomes])).toEqual([
      ['officer:o-diallo', ['patrol']],
      ['officer:o-traore', ['patrol', 'authorities']],
      ['officer:o-diallo', ['authorities']],
    ]);
  });

  it('an answer Telegram refuses after a button’s action does not run the action again: a ticked outcome stays ticked', async () => {
    await earlierMessagesSent();
    const alert = await report('Des hommes armés ont volé du bétail près de Mopti', 700000041);
    const messageId = (await telegram.messagesIn(diallo)).find((m) => 'text' in m && m.text?.includes(alert.ref))!.message_id;
    const press = (data: string) => post(telegramCallbackUpdate({ data, fromId: diallo, chatId: diallo, messageId }));
    const answered = telegram.callsOf('answerCallbackQuery').length;
    await press(`resolve:${alert.ref}`);
    await eventually(async () => (await alertRows(app)).find((a) => a.id === alert.id && a.status === 'resolved'), { what: 'resolved' });
    await eventually(async () => telegram.callsOf('answerCallbackQuery').length > answered, { what: 'the Resolve press answered' });
    // The button press is too old to answer by the time the queue reaches it.
    telegram.failNext('answerCallbackQuery', {
      status: 400,
      description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });
    await press(`out:engagement:${alert.ref}`);
    const recorded = await eventually(
      async () => {
        const events = (await eventsOf(app, alert.id)).filter((e) => e.type === 'outcome_recorded');
        return events.length > 0 ? events : undefined;
      },
      { what: 'the outcome recorded' },
    );
    // Long enough for a retried job (its first retry comes after about a second).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'outcome_recorded')).toEqual(recorded);
    expect(recorded.map((e) => e.data.outcomes)).toEqual([['engagement']]);
    expect(logs.some((l) => l.includes('could not answer an officer') && l.includes('query is too old'))).toBe(true);
  });

  it('officers type the SMS commands to the bot: resolve with outcomes and a note, dismiss as a duplicate, add a note', async () => {
    const first = await report('Affrontements entre deux groupes armés près de Mopti', 700000041);
    const second = await report('Combats entre groupes armés aux abords de Mopti, tirs entendus', 700000042);
    await post(telegramTextUpdate({ text: `doublon ${second.ref.toLowerCase()} ${first.ref}`, fromId: diallo }));
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === diallo && p.text === `Alerte ${second.ref} classée.`);
    await eventually(
      async () =>
        String(
          telegram
            .callsOf('editMessageText')
            .filter((c) => c.params.chat_id === traore && String(c.params.text).includes(second.ref))
            .at(-1)?.params.text,
        ).includes(`Doublon de ${first.ref}`),
      {
        what: 'the duplicate card',
      },
    );
    await post(telegramTextUpdate({ text: `NOTE ${first.ref} Deux patrouilles demandées à Sévaré`, fromId: traore }));
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === traore && p.text === `Note ajoutée à l'alerte ${first.ref}.`);
    await post(telegramTextUpdate({ text: `FIN ${first.ref} patrouille dialogue le calme est revenu`, fromId: traore }));
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === traore && p.text === `Alerte ${first.ref} résolue. Merci.`);
    await post(telegramTextUpdate({ text: `DOUBLON ${first.ref} ZZZZZ`, fromId: traore }));
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === traore && p.text === 'Alerte ZZZZZ introuvable. Vérifiez la référence.');

    const rows = await alertRows(app);
    expect(rows.find((a) => a.id === first.id)?.status).toBe('resolved');
    expect(rows.find((a) => a.id === second.id)?.status).toBe('dismissed');
    const firstEvents = await eventsOf(app, first.id);
    expect(firstEvents.find((e) => e.type === 'note_added')?.data).toEqual({ note: 'Deux patrouilles demandées à Sévaré' });
    expect(firstEvents.find((e) => e.type === 'resolved')?.data).toEqual({ note: 'le calme est revenu' });
    expect(firstEvents.find((e) => e.type === 'outcome_recorded')?.data).toEqual({ outcomes: ['patrol', 'engagement'] });
    const dismissal = (await eventsOf(app, second.id)).find((e) => e.type === 'dismissed');
    expect(dismissal).toMatchObject({ actor: 'officer:o-diallo', data: { duplicateOf: first.ref } });
    expect((await eventsOf(app, second.id)).some((e) => e.type === 'outcome_recorded')).toBe(false);
    // The API's timeline says the same.
    expect(await (await app.api(`/api/alerts/${first.ref}`)).json()).toMatchObject({
      status: 'resolved',
      outcomes: ['patrol', 'engagement'],
      duplicateOf: null,
    });
    expect(await (await app.api(`/api/alerts/${second.ref}`)).json()).toMatchObject({ status: 'dismissed', outcomes: [], duplicateOf: first.ref });
  });

  it('never shows a reporter’s Telegram id to officers or in the logs', () => {
    const officerChats = [diallo, traore, maiga, group, 222222];
    const toOfficers = telegram
      .callsOf('sendMessage')
      .concat(telegram.callsOf('editMessageText'))
      .filter((c) => officerChats.includes(Number(c.params.chat_id)));
    expect(toOfficers.length).toBeGreaterThan(10);
    for (const call of toOfficers)
      for (const id of [700000001, 700000002, 700000003, 700000004, 700000005, 700000007]) expect(String(call.params.text)).not.toContain(String(id));
    for (const line of logs) for (const id of [700000001, 700000003, 700000004]) expect(line).not.toContain(String(id));
  });

  it('keeps no reporter’s Telegram id or name in the clear in the database: what is kept of an update is sealed, and holds no name', async () => {
    const { rows } = await app.deps.db.execute<{ row: string; meta: Record<string, unknown> }>(
      sql`select row_to_json(m)::text as row, meta from inbound_messages m where channel = 'telegram'`,
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const { row } of rows) for (const id of [700000001, 700000002, 700000003]) expect(row).not.toContain(String(id));
    expect(rows.every((r) => typeof r.meta.sealed === 'string')).toBe(true);
    const kept = rows.map((r) => JSON.stringify(inboundMeta(app.deps.pii, r)));
    expect(kept.some((k) => k.includes(String(reporterId)) && k.includes('"type":"private"'))).toBe(true);
    for (const k of kept) expect(k).not.toMatch(/first_name|last_name|username|language_code|"title"/);
  });
});
