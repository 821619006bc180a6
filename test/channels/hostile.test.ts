import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundSmsParams, statusCallbackParams, twilioSid, twilioSignature } from '../fakes/sign.js';
import type { FakeTwilio } from '../fakes/twilio-api.js';
import { startWithFakeProviders, type WithProviders } from '../helpers/providers.js';
import { eventually, type TestTamtam } from '../helpers/tamtam.js';
import { inboundMeta } from '../../src/workflows/alerts/inbound-meta.js';

const secret = 'telegram-webhook-secret-1';
const TWILIO_NUMBER = '+22320000000';

/** A request as an attacker (or a broken proxy) might send it, signed correctly. */
interface HostileRequest {
  path: string;
  contentType?: string;
  /** The raw body, exactly as sent. */
  body?: string;
  /** The parameters the Twilio signature is computed on (Twilio routes only). */
  signedParams?: Record<string, unknown>;
}

const telegramJson = (json: string): HostileRequest => ({ path: '/webhooks/telegram', contentType: 'application/json', body: json });
const twilioForm = (path: string, encoded: string): HostileRequest => ({
  path,
  contentType: 'application/x-www-form-urlencoded',
  body: encoded,
  signedParams: Object.fromEntries(new URLSearchParams(encoded)),
});
const smsForm = (fields: Record<string, string>) =>
  twilioForm(
    '/webhooks/twilio/sms',
    new URLSearchParams({ ...inboundSmsParams({ from: '+22376900001', to: TWILIO_NUMBER, body: 'Hommes armés à Mopti' }), ...fields }).toString(),
  );
const statusForm = (fields: Record<string, string>) => {
  const base = statusCallbackParams({
    messageSid: twilioSid('SM'),
    status: 'delivered',
    to: '+22376900001',
    from: TWILIO_NUMBER,
    accountSid: twilioSid('AC'),
  });
  return twilioForm('/webhooks/twilio/status', new URLSearchParams({ ...base, ...fields }).toString());
};
const message = (fields: string) =>
  `{"message_id":7,"from":{"id":700000009,"is_bot":false,"first_name":"A"},"chat":{"id":700000009,"type":"private"},${fields}}`;

/** Each case, with the status it must get. Every one of them once answered 500. */
const cases: [string, number, HostileRequest][] = [
  [
    'Telegram: a callback_query with no from',
    400,
    telegramJson('{"update_id":1001,"callback_query":{"id":"9","chat_instance":"1","data":"ack:A7K3Q"}}'),
  ],
  [
    'Telegram: a callback_query with "from": null',
    400,
    telegramJson('{"update_id":1002,"callback_query":{"id":"9","from":null,"chat_instance":"1","data":"ack:A7K3Q"}}'),
  ],
  [
    'Telegram: a message date of "yesterday"',
    400,
    telegramJson(`{"update_id":1003,"message":${message('"date":"yesterday","text":"Hommes armés"')}}`),
  ],
  ['Telegram: a message date of 1e15', 400, telegramJson(`{"update_id":1004,"message":${message('"date":1e15,"text":"Hommes armés"')}}`)],
  ['Telegram: a message date of -1e12', 400, telegramJson(`{"update_id":1005,"message":${message('"date":-1e12,"text":"Hommes armés"')}}`)],
  ['Telegram: a text that is a list', 400, telegramJson(`{"update_id":1006,"message":${message('"date":1764567000,"text":["a","b"]')}}`)],
  ['Telegram: a text that is a number', 400, telegramJson(`{"update_id":1007,"message":${message('"date":1764567000,"text":3.5')}}`)],
  ['Telegram: JSON null', 400, telegramJson('null')],
  ['Twilio SMS: a NUL in MessageSid', 400, smsForm({ MessageSid: 'SM\u0000abc' })],
  [
    'Twilio SMS: a number as From, in JSON',
    415,
    {
      path: '/webhooks/twilio/sms',
      contentType: 'application/json',
      body: '{"MessageSid":"SM1","From":22376900001,"Body":"x"}',
      signedParams: { MessageSid: 'SM1', From: 22376900001, Body: 'x' },
    },
  ],
  ['Twilio SMS: JSON null', 415, { path: '/webhooks/twilio/sms', contentType: 'application/json', body: 'null', signedParams: {} }],
  ['Twilio SMS: no content type and no body', 415, { path: '/webhooks/twilio/sms', signedParams: {} }],
  ['Twilio SMS: a signed form sent as text/plain', 415, { ...smsForm({}), contentType: 'text/plain' }],
  ['Twilio SMS: no From', 400, twilioForm('/webhooks/twilio/sms', 'MessageSid=SM0123&Body=x')],
  ['Twilio status: a NUL in ErrorCode', 400, statusForm({ MessageStatus: 'failed', ErrorCode: 'abc\u0000' })],
  ['Twilio status: a NUL in MessageSid', 400, statusForm({ MessageSid: 'SM\u0000abc', SmsSid: 'SM\u0000abc' })],
  ['Twilio status: a NUL in MessageStatus', 400, statusForm({ MessageStatus: 'deli\u0000vered', SmsStatus: 'deli\u0000vered' })],
  ['Twilio status: no content type and no body', 415, { path: '/webhooks/twilio/status', signedParams: {} }],
  [
    'Twilio status: JSON',
    415,
    {
      path: '/webhooks/twilio/status',
      contentType: 'application/json',
      body: '{"MessageSid":"SM1","MessageStatus":"sent"}',
      signedParams: { MessageSid: 'SM1', MessageStatus: 'sent' },
    },
  ],
];

describe('hostile input, correctly signed, on the real HTTP server', () => {
  let env: WithProviders | undefined;
  let app: TestTamtam;
  let sms: FakeTwilio;
  let publicUrl: string;

  beforeAll(async () => {
    env = await startWithFakeProviders({ secret });
    ({ app, sms, publicUrl } = env);
  });
  afterAll(async () => {
    await env?.stop();
  });

  const send = (request: HostileRequest) => {
    const url = `${publicUrl}${request.path}`;
    const headers: Record<string, string> = {};
    if (request.contentType) headers['content-type'] = request.contentType;
    if (request.path === '/webhooks/telegram') headers['x-telegram-bot-api-secret-token'] = secret;
    else headers['x-twilio-signature'] = twilioSignature(sms.authToken, url, (request.signedParams ?? {}) as Record<string, string>);
    return fetch(url, { method: 'POST', headers, body: request.body });
  };
  const count = async (table: 'inbound_messages' | 'alerts' | 'outbound_messages') =>
    Number((await app.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`)).rows[0]!.n);

  it.each(cases)('%s: answered %i with a one-line reason, nothing stored', async (_name, status, request) => {
    const before = await Promise.all([count('inbound_messages'), count('alerts'), count('outbound_messages')]);
    const response = await send(request);
    expect(response.status).toBe(status);
    const { error } = (await response.json()) as { error: string };
    expect(error).toMatch(/^[^\n]{3,200}$/);
    expect(await Promise.all([count('inbound_messages'), count('alerts'), count('outbound_messages')])).toEqual(before);
  });

  it('takes in a Telegram warning with an unpaired surrogate, the surrogate replaced by U+FFFD', async () => {
    const response = await send(telegramJson(`{"update_id":1100,"message":${message('"date":1764567000,"text":"Hommes armés à Mopti \\ud800"')}}`));
    expect(response.status).toBe(200);
    const { rows } = await app.deps.db.execute<{ text: string; meta: { sealed: string } }>(
      sql`select text, meta from inbound_messages where channel = 'telegram' and provider_message_id = '1100'`,
    );
    const meta = inboundMeta(app.deps.pii, rows[0]!) as { update: { message: { text: string } } };
    expect([rows[0]!.text, meta.update.message.text]).toEqual(['Hommes armés à Mopti \ufffd', 'Hommes armés à Mopti \ufffd']);
    await eventually(
      async () => ((await (await app.api('/api/alerts')).json()) as { text: string }[]).some((a) => a.text === 'Hommes armés à Mopti \ufffd'),
      {
        what: 'the alert',
      },
    );
  });

  it('answers 400 to an alerts query since the year -1', async () => {
    const response = await app.api('/api/alerts?since=-000001-01-01T00:00:00Z');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^since: /);
  });
});
