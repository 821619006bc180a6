import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { Bot } from 'grammy';
import { inboundSmsParams, signedTwilioWebhook, telegramCallbackUpdate, telegramTextUpdate, twilioSignature } from './sign.js';

describe('webhook signing and inbound builders', () => {
  const authToken = '12345678901234567890123456789012';
  const url = 'https://tamtam.example.org/webhooks/twilio/sms';

  it('is HMAC-SHA1 over the URL and the sorted key/value pairs, base64 (Twilio’s documented algorithm)', () => {
    const params = { To: '+18005551212', CallSid: 'CA1234567890ABCDE', Digits: '1234', From: '+12349013030', Caller: '+12349013030' };
    const pageUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const signed =
      pageUrl +
      Object.keys(params)
        .sort()
        .map((k) => k + params[k as keyof typeof params])
        .join('');
    const expected = createHmac('sha1', authToken).update(signed).digest('base64');
    expect(twilioSignature(authToken, pageUrl, params)).toBe(expected);
  });

  it('builds an inbound SMS that the twilio library validates, and a forgery it refuses', () => {
    const params = inboundSmsParams({
      from: '+22376000001',
      to: '+22370000099',
      body: 'Des hommes armés à Ogossagou',
      accountSid: 'AC' + 'a'.repeat(32),
    });
    expect(params).toMatchObject({ From: '+22376000001', FromCountry: 'ML', NumSegments: '1', SmsStatus: 'received', ApiVersion: '2010-04-01' });
    expect(params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(params.SmsSid).toBe(params.MessageSid);

    const request = signedTwilioWebhook(authToken, url, params);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.payload))).toEqual(params);
    const signature = request.headers['x-twilio-signature'];
    expect(twilio.validateRequest(authToken, signature, url, params)).toBe(true);
    expect(twilio.validateRequest(authToken, signature, url, { ...params, Body: 'forged' })).toBe(false);
    expect(twilio.validateRequest('another-token', signature, url, params)).toBe(false);
  });

  it('builds Telegram updates grammY routes like real ones', async () => {
    const bot = new Bot('1:x', { botInfo: { id: 123456789, is_bot: true, first_name: 'Tamtam', username: 'tamtam_test_bot' } as never });
    const seen: unknown[] = [];
    bot.on(
      'message:text',
      (ctx) => void seen.push({ text: ctx.message.text, replyTo: ctx.message.reply_to_message?.message_id, chat: ctx.chat.type }),
    );
    bot.on('callback_query:data', (ctx) => void seen.push({ data: ctx.callbackQuery.data, on: ctx.callbackQuery.message?.message_id }));
    await bot.handleUpdate(telegramTextUpdate({ text: 'Ils arrivent', fromId: 555 }));
    await bot.handleUpdate(
      telegramTextUpdate({ text: 'On y va', fromId: 111111, chatId: -1001234567890, replyTo: { messageId: 42, text: 'Alert A7K3Q' } }),
    );
    await bot.handleUpdate(telegramCallbackUpdate({ data: 'ack:A7K3Q', fromId: 111111, chatId: 111111, messageId: 42 }));
    expect(seen).toEqual([
      { text: 'Ils arrivent', replyTo: undefined, chat: 'private' },
      { text: 'On y va', replyTo: 42, chat: 'supergroup' },
      { data: 'ack:A7K3Q', on: 42 },
    ]);
    const a = telegramTextUpdate({ text: 'a', fromId: 1 });
    const b = telegramTextUpdate({ text: 'b', fromId: 1 });
    expect(b.update_id).toBeGreaterThan(a.update_id);
  });
});
