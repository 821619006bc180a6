import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { createTwilioClient, rebaseTwilioUrl } from '../../src/channels/twilio-client.js';
import { startFakeTwilio, twilioErrors, type FakeTwilio } from './twilio-api.js';

describe('fake Twilio REST API, driven by the real twilio client', () => {
  let fake: FakeTwilio;
  let client: twilio.Twilio;

  beforeEach(async () => {
    fake = await startFakeTwilio();
    client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, apiBase: fake.url });
  });
  afterEach(() => fake.close());

  it('creates a message and returns the resource through TWILIO_API_BASE', async () => {
    const message = await client.messages.create({
      to: '+22376000001',
      from: '+22370000099',
      body: 'Alerte reçue. Réf A7K3Q. Un agent vous rappellera.',
      statusCallback: 'https://tamtam.example.org/webhooks/twilio/status',
    });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({ status: 'queued', to: '+22376000001', from: '+22370000099', numSegments: '1', direction: 'outbound-api' });
    expect(message.dateCreated).toBeInstanceOf(Date);

    const call = fake.log.calls[0];
    expect(call).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`, authorized: true });
    expect(call?.params).toEqual({
      To: '+22376000001',
      From: '+22370000099',
      Body: 'Alerte reçue. Réf A7K3Q. Un agent vous rappellera.',
      StatusCallback: 'https://tamtam.example.org/webhooks/twilio/status',
    });
    const fetched = await client.messages(message.sid).fetch();
    expect(fetched.body).toBe(message.body);
  });

  it('counts segments and answers `accepted` for a Messaging Service', async () => {
    const long = await client.messages.create({ to: '+243812345678', messagingServiceSid: 'MG' + '0'.repeat(32), body: 'ç'.repeat(71) });
    expect(long).toMatchObject({ status: 'accepted', numSegments: '2', from: null });
    await expect(fake.waitForMessage((m) => m.to === '+243812345678')).resolves.toMatchObject({ num_segments: '2' });
  });

  it('rejects an invalid number with RestException code 21211', async () => {
    const error = await client.messages.create({ to: '+2231234', from: '+22370000099', body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({
      status: 400,
      code: 21211,
      message: "Invalid 'To' Phone Number: +2231234",
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
    });
  });

  it('injects 429 and 500, and per-number rejections', async () => {
    fake.failNext(twilioErrors.tooManyRequests);
    fake.failNext(twilioErrors.internal);
    fake.rejectNumber('+22376000002', twilioErrors.unsubscribed);
    const send = (to: string) => client.messages.create({ to, from: '+22370000099', body: 'Test' });
    await expect(send('+22376000001')).rejects.toMatchObject({ status: 429, code: 20429 });
    await expect(send('+22376000001')).rejects.toMatchObject({ status: 500, code: 20500 });
    await expect(send('+22376000002')).rejects.toMatchObject({ code: 21610 });
    await expect(send('+22376000001')).resolves.toMatchObject({ status: 'queued' });
  });

  it('checks HTTP Basic auth against the account', async () => {
    const intruder = createTwilioClient({ accountSid: fake.accountSid, authToken: 'wrong', apiBase: fake.url });
    await expect(intruder.messages.create({ to: '+22376000001', from: '+22370000099', body: 'x' })).rejects.toMatchObject({
      status: 401,
      code: 20003,
    });
    expect(fake.log.calls[0]?.authorized).toBe(false);
  });

  it('posts signed status callbacks that the twilio library validates', async () => {
    const received: { signature: string; params: Record<string, string> }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ signature: String(req.headers['x-twilio-signature']), params: Object.fromEntries(new URLSearchParams(body)) });
        res.writeHead(204, { connection: 'close' }).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/twilio/status`;
    try {
      const message = await client.messages.create({ to: '+22376000001', from: '+22370000099', body: 'x', statusCallback: callback });
      expect(await fake.sendStatus(message.sid, 'undelivered', 30003)).toBe(204);
      const [{ signature, params } = { signature: '', params: {} }] = received;
      expect(params).toMatchObject({ MessageSid: message.sid, MessageStatus: 'undelivered', ErrorCode: '30003' });
      expect(twilio.validateRequest(fake.authToken, signature, callback, params)).toBe(true);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe('rebaseTwilioUrl', () => {
  const base = new URL('http://127.0.0.1:4010/twilio/');
  it.each([
    ['https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json', 'http://127.0.0.1:4010/twilio/2010-04-01/Accounts/AC1/Messages.json'],
    ['https://api.dublin.ie1.twilio.com/2010-04-01/Accounts.json?PageSize=1', 'http://127.0.0.1:4010/twilio/2010-04-01/Accounts.json?PageSize=1'],
    ['https://lookups.twilio.com/v2/PhoneNumbers/+22376000001', 'https://lookups.twilio.com/v2/PhoneNumbers/+22376000001'],
  ])('%s', (uri, expected) => expect(rebaseTwilioUrl(uri, base)).toBe(expected));

  it('leaves the library’s own client in place for the default base', () => {
    const client = createTwilioClient({ accountSid: 'AC' + 'b'.repeat(32), authToken: 't' });
    expect(client.httpClient?.constructor).toBe(twilio.RequestClient);
    const rebased = createTwilioClient({ accountSid: 'AC' + 'b'.repeat(32), authToken: 't', apiBase: 'http://127.0.0.1:1' });
    expect(rebased.httpClient).toBeInstanceOf(twilio.RequestClient);
    expect(rebased.httpClient?.constructor).not.toBe(twilio.RequestClient);
  });
});
