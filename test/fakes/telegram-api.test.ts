import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bot, GrammyError, InlineKeyboard, InputFile } from 'grammy';
import { startFakeTelegram, type FakeTelegram } from './telegram-api.js';
import { telegramCallbackUpdate, telegramTextUpdate } from './sign.js';

describe('fake Telegram Bot API, driven by a real grammY Bot', () => {
  let fake: FakeTelegram;
  let bot: Bot;

  beforeEach(async () => {
    fake = await startFakeTelegram();
    bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  });
  afterEach(async () => {
    if (bot.isRunning()) await bot.stop();
    await fake.close();
  });

  it('answers getMe with the bot user', async () => {
    await bot.init();
    expect(bot.botInfo).toMatchObject({ id: 123456789, is_bot: true, username: 'tamtam_test_bot' });
  });

  it('sends a card with an inline keyboard, edits it, and answers a callback query', async () => {
    const keyboard = new InlineKeyboard().text('Acknowledge', 'ack:A7K3Q').text('Dismiss', 'dismiss:A7K3Q');
    const first = await bot.api.sendMessage(111111, 'Alert A7K3Q: armed men near Ogossagou', { reply_markup: keyboard });
    const second = await bot.api.sendMessage(111111, 'second');
    const elsewhere = await bot.api.sendMessage(-1001234567890, 'to the office group');

    expect(first).toMatchObject({ message_id: 1, chat: { id: 111111, type: 'private' }, text: 'Alert A7K3Q: armed men near Ogossagou' });
    expect(first.reply_markup?.inline_keyboard[0]?.[0]).toEqual({ text: 'Acknowledge', callback_data: 'ack:A7K3Q' });
    expect(second.message_id).toBe(2);
    expect(elsewhere).toMatchObject({ message_id: 1, chat: { type: 'supergroup' } });
    expect(Math.abs(first.date - Date.now() / 1000)).toBeLessThan(5);

    const edited = await bot.api.editMessageText(111111, first.message_id, 'Alert A7K3Q: acknowledged by A. Diallo');
    expect(edited).toMatchObject({ message_id: 1, text: 'Alert A7K3Q: acknowledged by A. Diallo' });
    expect(edited !== true && edited.reply_markup).toBeFalsy();
    expect(fake.messagesIn(111111).find((m) => m.message_id === 1)?.text).toContain('acknowledged');

    await bot.api.editMessageReplyMarkup(111111, second.message_id, { reply_markup: keyboard });
    expect(await bot.api.answerCallbackQuery('cbq-1', { text: 'Acknowledged' })).toBe(true);

    const sent = fake.callsOf('sendMessage')[0];
    expect(sent?.params).toMatchObject({ chat_id: 111111, reply_markup: { inline_keyboard: [[{ text: 'Acknowledge' }, { text: 'Dismiss' }]] } });
    expect(fake.callsOf('answerCallbackQuery')[0]?.params).toEqual({ callback_query_id: 'cbq-1', text: 'Acknowledged' });
  });

  it('refuses edits Telegram would refuse', async () => {
    const message = await bot.api.sendMessage(111111, 'same');
    await expect(bot.api.editMessageText(111111, message.message_id, 'same')).rejects.toThrow(/message is not modified/);
    await expect(bot.api.editMessageText(111111, 999, 'x')).rejects.toThrow(/message to edit not found/);
  });

  it('surfaces an injected 429 as GrammyError with parameters.retry_after', async () => {
    fake.failNext('sendMessage', { status: 429, retryAfter: 7 });
    const error = await bot.api.sendMessage(111111, 'hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, method: 'sendMessage', parameters: { retry_after: 7 } });
    expect((error as GrammyError).description).toBe('Too Many Requests: retry after 7');
    await expect(bot.api.sendMessage(111111, 'hello')).resolves.toMatchObject({ text: 'hello' });
  });

  it('injects 500 and 403 blocked, and rejects a wrong token with 401', async () => {
    fake.failNext('sendMessage', { status: 500 });
    await expect(bot.api.sendMessage(1, 'x')).rejects.toMatchObject({ error_code: 500 });
    fake.blockChat(222222);
    await expect(bot.api.sendMessage(222222, 'x')).rejects.toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const stranger = new Bot('42:wrong', { client: { apiRoot: fake.apiRoot } });
    await expect(stranger.api.getMe()).rejects.toMatchObject({ error_code: 401 });
    expect(fake.log.calls.at(-1)).toMatchObject({ method: 'getMe', token: '42:wrong' });
  });

  it('decodes multipart bodies grammY uses for file uploads', async () => {
    await bot.api
      .sendDocument(111111, new InputFile(Buffer.from('ref,place\nA7K3Q,Ogossagou\n'), 'alerts.csv'), {
        caption: 'Weekly export',
        reply_markup: new InlineKeyboard().text('OK', 'ok'),
      })
      .catch(() => undefined); // sendDocument is not emulated: only the request decoding matters here
    const call = await fake.waitForCall('sendDocument');
    expect(call.params).toMatchObject({ chat_id: 111111, caption: 'Weekly export', reply_markup: { inline_keyboard: [[{ text: 'OK' }]] } });
    expect(call.files).toEqual([expect.objectContaining({ filename: 'alerts.csv', size: 26 })]);
  });

  it('serves queued updates to a polling bot and records commands and webhooks', async () => {
    const seen: string[] = [];
    bot.on('message:text', (ctx) => void seen.push(ctx.message.text));
    bot.on('callback_query:data', async (ctx) => {
      seen.push(ctx.callbackQuery.data);
      await ctx.answerCallbackQuery();
    });
    await bot.api.setMyCommands([{ command: 'status', description: 'Open alerts' }]);
    await bot.api.setWebhook('https://tamtam.example.org/webhooks/telegram', { secret_token: 's3cret' });
    expect(fake.webhookUrl()).toBe('https://tamtam.example.org/webhooks/telegram');
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });

    fake.pushUpdate(telegramTextUpdate({ text: 'Des hommes armés à Sobane', fromId: 555 }));
    fake.pushUpdate(telegramCallbackUpdate({ data: 'ack:A7K3Q', fromId: 111111, messageId: 1, chatId: 111111 }));
    void bot.start({ drop_pending_updates: false }); // start() calls deleteWebhook first
    await fake.waitForCall('answerCallbackQuery');
    expect(seen).toEqual(['Des hommes armés à Sobane', 'ack:A7K3Q']);
    expect(fake.callsOf('setMyCommands')[0]?.params).toMatchObject({ commands: [{ command: 'status' }] });
  });

  it('delivers updates to the webhook with the secret token, as Telegram does', async () => {
    const received: { secret: unknown; body: unknown }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ secret: req.headers['x-telegram-bot-api-secret-token'], body: JSON.parse(body) });
        res.writeHead(200, { connection: 'close' }).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      await bot.api.setWebhook(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/telegram`, { secret_token: 'tg-secret' });
      const update = telegramTextUpdate({ text: 'Alerte à Bangassou', fromId: 777 });
      expect(await fake.deliverWebhook(update)).toBe(200);
      expect(received).toEqual([{ secret: 'tg-secret', body: update }]);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('holds a long poll until an update arrives, and releases it on close', async () => {
    const patient = await startFakeTelegram({ maxLongPollMs: 60_000 });
    const poller = new Bot(patient.token, { client: { apiRoot: patient.apiRoot } });
    const waiting = poller.api.getUpdates({ timeout: 30 });
    await patient.waitForCall('getUpdates');
    patient.pushUpdate(telegramTextUpdate({ text: 'ping', fromId: 7 }));
    expect((await waiting).map((u) => u.message?.text)).toEqual(['ping']);

    const idle = poller.api.getUpdates({ offset: 1e9, timeout: 30 });
    await patient.waitForCall('getUpdates', (p) => p.offset === 1e9);
    const started = Date.now();
    await patient.close();
    await expect(idle).resolves.toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
