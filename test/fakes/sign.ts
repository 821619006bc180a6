import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Update } from 'grammy/types';
import { countSegments } from '../../src/channels/sms-segments.js';

/** A Twilio resource sid: two-letter prefix (`SM`, `AC`, `MG`) + 32 lower-case hex digits. */
export function twilioSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** `X-Twilio-Signature` for a form POST to `url`, computed by the twilio library itself. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

/** A signed form-encoded webhook request, ready for `app.inject({ method: 'POST', url, headers, payload })` or fetch. */
export function signedTwilioWebhook(authToken: string, url: string, params: Record<string, string>) {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(authToken, url, params),
      'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
      'user-agent': 'TwilioProxy/1.1',
    },
    payload: new URLSearchParams(params).toString(),
    params,
  };
}

const country = (phone: string) => parsePhoneNumberFromString(phone.replace(/^whatsapp:/, ''))?.country ?? '';

/** Fields of an inbound SMS webhook, as Twilio posts them to the messaging URL. */
export function inboundSmsParams(sms: {
  from: string;
  to: string;
  body: string;
  accountSid?: string;
  messageSid?: string;
  messagingServiceSid?: string;
}): Record<string, string> {
  const sid = sms.messageSid ?? twilioSid('SM');
  return {
    ToCountry: country(sms.to),
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: sms.body,
    FromCountry: country(sms.from),
    To: sms.to,
    ...(sms.messagingServiceSid ? { MessagingServiceSid: sms.messagingServiceSid } : {}),
    ToZip: '',
    NumSegments: String(countSegments(sms.body)),
    MessageSid: sid,
    AccountSid: sms.accountSid ?? twilioSid('AC'),
    From: sms.from,
    ApiVersion: '2010-04-01',
  };
}

/** Fields of an outbound message status callback (`queued` … `delivered`, `undelivered`, `failed`). */
export function statusCallbackParams(status: {
  messageSid: string;
  status: 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';
  to: string;
  from: string;
  accountSid: string;
  errorCode?: number;
}): Record<string, string> {
  return {
    SmsSid: status.messageSid,
    SmsStatus: status.status,
    MessageStatus: status.status,
    To: status.to,
    MessageSid: status.messageSid,
    AccountSid: status.accountSid,
    From: status.from,
    ApiVersion: '2010-04-01',
    ...(status.errorCode !== undefined ? { ErrorCode: String(status.errorCode) } : {}),
  };
}

let nextUpdateId = 500_000;
let nextMessageId = 9_000;
const user = (id: number, languageCode: string) => ({ id, is_bot: false, first_name: `User ${id}`, language_code: languageCode });
const privateChat = (id: number) => ({ id, first_name: `User ${id}`, type: 'private' as const });
const groupChat = (id: number) => ({ id, title: `Group ${id}`, type: 'supergroup' as const });

/** A `message` update with text; in a private chat unless `chatId` is negative; optionally a reply to a bot message. */
export function telegramTextUpdate(message: {
  text: string;
  fromId: number;
  chatId?: number;
  updateId?: number;
  messageId?: number;
  languageCode?: string;
  /** The message this one replies to (e.g. an alert card the bot sent). */
  replyTo?: { messageId: number; text: string; fromBotId?: number };
}): Update {
  const chatId = message.chatId ?? message.fromId;
  const chat = chatId > 0 ? privateChat(chatId) : groupChat(chatId);
  const date = Math.floor(Date.now() / 1000);
  return {
    update_id: message.updateId ?? nextUpdateId++,
    message: {
      message_id: message.messageId ?? nextMessageId++,
      from: user(message.fromId, message.languageCode ?? 'fr'),
      chat,
      date,
      text: message.text,
      // Telegram marks a leading /command with a bot_command entity; grammY's command() needs it.
      ...(/^\/\w+/.test(message.text)
        ? { entities: [{ type: 'bot_command', offset: 0, length: message.text.match(/^\/\w+(@\w+)?/)![0].length }] }
        : {}),
      ...(message.replyTo
        ? {
            reply_to_message: {
              message_id: message.replyTo.messageId,
              from: { id: message.replyTo.fromBotId ?? 123456789, is_bot: true, first_name: 'Tamtam', username: 'tamtam_test_bot' },
              chat,
              date: date - 60,
              text: message.replyTo.text,
            },
          }
        : {}),
    },
  } as Update;
}

/** A `callback_query` update: a user pressed an inline button on a bot message. */
export function telegramCallbackUpdate(query: {
  data: string;
  fromId: number;
  chatId: number;
  messageId: number;
  messageText?: string;
  updateId?: number;
}): Update {
  const chat = query.chatId > 0 ? privateChat(query.chatId) : groupChat(query.chatId);
  return {
    update_id: query.updateId ?? nextUpdateId++,
    callback_query: {
      id: String(BigInt(query.fromId) * 1000n + BigInt(nextUpdateId)),
      from: user(query.fromId, 'fr'),
      chat_instance: String(-Math.abs(query.chatId) * 7),
      data: query.data,
      message: {
        message_id: query.messageId,
        from: { id: 123456789, is_bot: true, first_name: 'Tamtam', username: 'tamtam_test_bot' },
        chat,
        date: Math.floor(Date.now() / 1000) - 30,
        text: query.messageText ?? 'Alert',
      },
    },
  } as Update;
}

/** Posts a Telegram update to Tamtam's webhook at `baseUrl`, with the webhook secret as Telegram sends it. */
export function postTelegramUpdate(baseUrl: string, secret: string, update: Update): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
}
