import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../fakes/sign.js';
import type { FakeTwilio } from '../fakes/twilio-api.js';
import { startWithFakeProviders, type WithProviders } from '../helpers/providers.js';

const secret = 'telegram-webhook-secret-1';
const numRuns = 200;

/** Strings of every kind: ASCII, any code point, lone surrogates, NULs and other controls. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '1', '+', '%') }),
);
/** Values a field might hold: plausible ones and hostile ones. */
const sidLike = fc.oneof(fc.stringMatching(/^SM[0-9a-f]{32}$/), fc.stringMatching(/^[A-Za-z0-9]{1,70}$/), anyString);
const formValue = fc.oneof(
  sidLike,
  fc.constantFrom('+22376900001', 'whatsapp:+22376900001', 'queued', 'sent', 'delivered', 'failed', '30003', ''),
  anyString,
);
const formKey = fc.oneof(
  fc.constantFrom('MessageSid', 'SmsMessageSid', 'SmsSid', 'From', 'To', 'Body', 'MessageStatus', 'SmsStatus', 'ErrorCode', '__proto__'),
  anyString,
);
/** The fields Tamtam reads, each there or not, then any others (some repeating one of them). */
const readFields = fc.record(
  {
    MessageSid: formValue,
    SmsMessageSid: formValue,
    SmsSid: formValue,
    From: formValue,
    Body: formValue,
    MessageStatus: formValue,
    SmsStatus: formValue,
    ErrorCode: formValue,
  },
  { requiredKeys: [] },
);
const formFields = fc
  .tuple(readFields, fc.array(fc.tuple(formKey, formValue), { maxLength: 6 }))
  .map(([read, more]) => [...(Object.entries(read) as [string, string][]), ...more]);

const anyJson = fc.jsonValue();
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, anyJson, fc.constant(null), fc.constant(undefined));
const user = fc.record({ id: maybe(fc.integer()), is_bot: fc.boolean(), first_name: anyString }, { requiredKeys: [] });
const chat = fc.record({ id: maybe(fc.integer()), type: maybe(fc.constantFrom('private', 'group', 'supergroup', 'channel')) }, { requiredKeys: [] });
const telegramMessage = fc.record(
  {
    message_id: maybe(fc.nat()),
    from: maybe(user),
    chat: maybe(chat),
    date: maybe(fc.oneof(fc.integer(), fc.double(), fc.constant(1e15), fc.constant(-1e12), fc.constant(1764567000))),
    text: maybe(anyString),
    caption: maybe(anyString),
    reply_to_message: maybe(fc.record({ message_id: maybe(fc.nat()), text: maybe(anyString) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const callbackQuery = fc.record(
  { id: maybe(anyString), from: maybe(user), data: maybe(anyString), message: maybe(telegramMessage) },
  { requiredKeys: [] },
);
/** Update-shaped JSON with any value in any field, or any JSON at all. */
const telegramBody = fc.oneof(
  anyJson,
  fc.record(
    { update_id: maybe(fc.nat()), message: maybe(telegramMessage), edited_message: maybe(telegramMessage), callback_query: maybe(callbackQuery) },
    { requiredKeys: [] },
  ),
);

describe('webhook parsers: any body, correctly signed, never a 5xx', () => {
  let env: WithProviders | undefined;
  let sms: FakeTwilio;
  let publicUrl: string;

  beforeAll(async () => {
    env = await startWithFakeProviders({ secret });
    ({ sms, publicUrl } = env);
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** Posts a form (or, now and then, JSON) signed as Twilio would sign it; returns the status. */
  async function postTwilio(path: string, fields: [string, string][], asJson: boolean): Promise<number> {
    const url = `${publicUrl}${path}`;
    const body = new URLSearchParams(fields).toString();
    // What the server will read back: the signature is computed on the decoded form, as Twilio does.
    const decoded: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
    for (const [k, v] of new URLSearchParams(body)) (decoded[k] ??= []).push(v);
    const params = Object.fromEntries(Object.entries(decoded).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])) as Record<string, string>;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': asJson ? 'application/json' : 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(sms.authToken, url, params),
      },
      body: asJson ? JSON.stringify(params) : body,
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('Twilio SMS webhook', async () => {
    await fc.assert(
      fc.asyncProperty(formFields, fc.boolean(), async (fields, asJson) => {
        const status = await postTwilio('/webhooks/twilio/sms', fields, asJson && fields.length % 5 === 0);
        expect(status).toBeLessThan(500);
      }),
      { numRuns },
    );
  });

  // An unknown MessageSid is looked for again for a second or so: the requests go 25 at a time.
  it('Twilio status callback', async () => {
    const samples = fc.sample(fc.tuple(formFields, fc.boolean()), numRuns);
    for (let i = 0; i < samples.length; i += 25) {
      const statuses = await Promise.all(
        samples.slice(i, i + 25).map(([fields, asJson]) => postTwilio('/webhooks/twilio/status', fields, asJson && fields.length % 5 === 0)),
      );
      statuses.forEach((status, k) => expect(status, JSON.stringify(samples[i + k])).toBeLessThan(500));
    }
  });

  it('Telegram update webhook', async () => {
    await fc.assert(
      fc.asyncProperty(telegramBody, async (update) => {
        const response = await fetch(`${publicUrl}/webhooks/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
          body: JSON.stringify(update) ?? 'null',
        });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns },
    );
  });
});
