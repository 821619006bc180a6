import { fakeProviderEnv } from '../fakes/env.js';
import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitsOneSegment } from '../../src/channels/sms-segments.js';
import { EMPTY_TWIML } from '../../src/channels/twilio-webhooks.js';
import { inboundMessages, outboundMessages } from '../../src/db/schema/index.js';
import { startFakeTwilio, twilioErrors, type FakeTwilio } from '../fakes/twilio-api.js';
import { inboundSmsParams, signedTwilioWebhook, twilioSid } from '../fakes/sign.js';
import { alertRows, eventsOf } from '../helpers/alerts.js';
import { eventually, freePort, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

const TWILIO_NUMBER = '+22320000000';
const DIALLO = '+22370000001'; // officer, Mopti
const MAIGA = '+22370000004'; // officer, Gao
const reporters: string[] = [];
/** A fresh reporter number (Malian mobile), remembered for the leak checks at the end. */
const reporterNumber = () => {
  const phone = `+2237690${String(reporters.length + 1).padStart(4, '0')}`;
  reporters.push(phone);
  return phone;
};

describe('SMS through Twilio (real HTTP, PostgreSQL, Redis; fake Twilio REST API)', () => {
  let sms: FakeTwilio;
  let app: TestTamtam;
  let publicUrl: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    sms = await startFakeTwilio();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const capture = new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(chunk.toString('utf8')), done()) });
    app = await startTestTamtam({
      backend: 'redis',
      // Long deadlines: no escalation SMS in the middle of these tests.
      deployment: testDeployment({ ackTimeout: '30m' }),
      log: pino({ level: 'debug' }, capture),
      env: {
        PORT: String(port),
        PUBLIC_URL: publicUrl,
        ...fakeProviderEnv({ sms, twilioFrom: TWILIO_NUMBER }),
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await sms?.close();
  });

  /** Posts an inbound SMS to Tamtam as Twilio would, signed with the account's auth token. */
  const textIn = (from: string, body: string, messageSid = twilioSid('SM')) => {
    const url = `${publicUrl}/webhooks/twilio/sms`;
    const request = signedTwilioWebhook(
      sms.authToken,
      url,
      inboundSmsParams({ from, to: TWILIO_NUMBER, body, accountSid: sms.accountSid, messageSid }),
    );
    return fetch(url, { method: 'POST', headers: request.headers, body: request.payload });
  };
  const messagesTo = (to: string) => sms.messages().filter((m) => m.to === to);
  /** The warning each reporter sent last, to find its alert. */
  const sent = new Map<string, string>();
  const alertOf = (from: string) =>
    eventually(async () => (await alertRows(app)).find((a) => a.text === sent.get(from) && a.status === 'notified'), {
      what: 'the alert to be notified',
    });
  /** Sends a warning by SMS and waits for its alert to be notified. */
  const warn = async (from: string, text: string) => {
    sent.set(from, text);
    const response = await textIn(from, text);
    expect(response.status).toBe(200);
    return alertOf(from);
  };
  const outboundOf = (alertId: number, purpose: string) =>
    app.deps.db
      .select()
      .from(outboundMessages)
      .where(and(eq(outboundMessages.alertId, alertId), eq(outboundMessages.purpose, purpose)));

  it('refuses a forged or missing signature with 403, logs it, and stores nothing', async () => {
    const url = `${publicUrl}/webhooks/twilio/sms`;
    const params = inboundSmsParams({ from: reporterNumber(), to: TWILIO_NUMBER, body: 'Des hommes armés à Mopti', accountSid: sms.accountSid });
    const forged = signedTwilioWebhook('not-the-auth-token', url, params);
    expect((await fetch(url, { method: 'POST', headers: forged.headers, body: forged.payload })).status).toBe(403);
    const { 'x-twilio-signature': _signature, ...unsigned } = signedTwilioWebhook(sms.authToken, url, params).headers;
    const missing = await fetch(url, { method: 'POST', headers: unsigned, body: forged.payload });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ error: 'missing X-Twilio-Signature' });
    // Signed for another URL (a replay to a different endpoint) is forged too.
    const elsewhere = signedTwilioWebhook(sms.authToken, `${publicUrl}/webhooks/twilio/status`, params);
    expect((await fetch(url, { method: 'POST', headers: elsewhere.headers, body: elsewhere.payload })).status).toBe(403);

    // Not a form at all (JSON with nested values): malformed (415), not a forgery, and not a 500.
    const json = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': forged.headers['x-twilio-signature'] },
      body: JSON.stringify({ From: { nested: [1] }, Body: null }),
    });
    expect(json.status).toBe(415);

    expect(await app.deps.db.select().from(inboundMessages)).toEqual([]);
    const refusals = logLines.filter((l) => l.includes('refused Twilio webhook')).map((l) => JSON.parse(l) as { level: number; reason: string });
    expect(refusals.map((r) => [r.level, r.reason])).toEqual([
      [40, 'invalid X-Twilio-Signature'],
      [40, 'missing X-Twilio-Signature'],
      [40, 'invalid X-Twilio-Signature'],
    ]);
  });

  it('answers 400 with a reason when a signed message lacks MessageSid or From', async () => {
    const url = `${publicUrl}/webhooks/twilio/sms`;
    const {
      MessageSid: _sid,
      SmsMessageSid: _smsSid,
      SmsSid: _old,
      ...params
    } = inboundSmsParams({ from: reporterNumber(), to: TWILIO_NUMBER, body: 'test' });
    const request = signedTwilioWebhook(sms.authToken, url, params);
    const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.payload });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'MessageSid: missing' });
  });

  it('turns a French SMS from an unregistered number into an alert for Mopti, confirmed in one GSM-7 segment', async () => {
    const from = reporterNumber();
    sent.set(from, 'Des hommes armés encerclent le village près de Mopti');
    const response = await textIn(from, sent.get(from)!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await response.text()).toBe(EMPTY_TWIML);

    const alert = await alertOf(from);
    expect(alert).toMatchObject({ officeId: 'mopti', channel: 'sms' });
    const confirmation = await sms.waitForMessage((m) => m.to === from, 10_000);
    expect(confirmation.body).toBe(
      `Merci, alerte enregistrée. Réf ${alert.ref}. La mission est prévenue. Répondez à ce numéro pour ajouter des détails.`,
    );
    expect(fitsOneSegment(confirmation.body)).toBe(true);
    expect(confirmation.num_segments).toBe('1');
    expect(confirmation.from).toBe(TWILIO_NUMBER);
    expect(sms.log.filter((c) => c.resource?.sid === confirmation.sid)[0]?.params.StatusCallback).toBe(`${publicUrl}/webhooks/twilio/status`);

    // The Mopti officer with a phone (and no Telegram) gets the card by SMS, with what to text back.
    const card = await sms.waitForMessage((m) => m.to === DIALLO && m.body.includes(alert.ref), 10_000);
    expect(card.body).toContain(`OK ${alert.ref}`);
    expect(card.body).toMatch(/PF-[0-9A-F]{4}/);
  });

  it('answers a WhatsApp message on WhatsApp, from the WhatsApp sender', async () => {
    const phone = reporterNumber();
    const alert = await warn(`whatsapp:${phone}`, 'Des hommes armés ont pris le bétail à Mopti');
    const confirmation = await sms.waitForMessage((m) => m.to === `whatsapp:${phone}`, 10_000);
    expect(confirmation).toMatchObject({ from: `whatsapp:${TWILIO_NUMBER}` });
    expect(confirmation.body).toContain(alert.ref);
    expect(messagesTo(phone)).toEqual([]);
  });

  it('makes one alert of ten redeliveries of one MessageSid, each answered with TwiML', async () => {
    const from = reporterNumber();
    const messageSid = twilioSid('SM');
    sent.set(from, 'Tirs entendus ce matin à Mopti, les gens fuient');
    const responses = await Promise.all(Array.from({ length: 10 }, () => textIn(from, sent.get(from)!, messageSid)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await Promise.all(responses.map((r) => r.text()))).toEqual(Array(10).fill(EMPTY_TWIML));
    const alert = await alertOf(from);
    await sms.waitForMessage((m) => m.to === from, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect((await alertRows(app)).filter((a) => a.focalPointId === alert.focalPointId)).toHaveLength(1);
    expect(await app.deps.db.select().from(inboundMessages).where(eq(inboundMessages.providerMessageId, messageSid))).toHaveLength(1);
    expect(messagesTo(from)).toHaveLength(1);
  });

  it('after STOP sends nothing more to that number, and an officer reply is refused as opted out', async () => {
    const from = reporterNumber();
    expect((await textIn(from, 'STOP')).status).toBe(200);
    await eventually(async () => (await app.deps.db.select().from(inboundMessages).where(eq(inboundMessages.outcome, 'opt_out'))).length > 0, {
      what: 'the opt-out',
    });
    const alert = await warn(from, 'Hommes armés vus au marché de Mopti');
    expect(alert.officeId).toBe('mopti');

    expect((await textIn(DIALLO, `R ${alert.ref} Où êtes-vous exactement ?`)).status).toBe(200);
    const refusal = await sms.waitForMessage((m) => m.to === DIALLO && m.body.includes('ne plus recevoir'), 10_000);
    expect(refusal.body).toMatch(/^PF-[0-9A-F]{4} a demandé à ne plus recevoir de messages : rien n'a été envoyé\.$/);
    await new Promise((r) => setTimeout(r, 500));
    expect(messagesTo(from)).toEqual([]);
    expect((await eventsOf(app, alert.id)).map((e) => e.type)).not.toContain('reply_bridged');
  });

  it("acknowledges an alert by an officer's SMS OK <ref>, and answers the officer", async () => {
    const alert = await warn(reporterNumber(), 'Enlèvement de trois personnes à Mopti hier soir');
    expect((await textIn(DIALLO, `ok ${alert.ref.toLowerCase()}`)).status).toBe(200);
    const acknowledged = await eventually(async () => (await alertRows(app)).find((a) => a.id === alert.id && a.status === 'acknowledged'), {
      what: 'the acknowledgement',
    });
    expect(acknowledged.acknowledgedBy).toBe('o-diallo');
    const answer = await sms.waitForMessage((m) => m.to === DIALLO && m.body === `Alerte ${alert.ref} prise en charge. Merci.`, 10_000);
    expect(fitsOneSegment(answer.body)).toBe(true);
  });

  it('keeps delivered when a late sent arrives, and records every report on the alert', async () => {
    const from = reporterNumber();
    const alert = await warn(from, 'Pillage de greniers à Mopti');
    const confirmation = await sms.waitForMessage((m) => m.to === from, 10_000);
    expect(await sms.sendStatus(confirmation.sid, 'delivered')).toBe(204);
    expect(await sms.sendStatus(confirmation.sid, 'sent')).toBe(204);
    const [row] = await outboundOf(alert.id, 'confirmation');
    expect(row).toMatchObject({ status: 'delivered', providerMessageId: confirmation.sid });
    const reports = (await eventsOf(app, alert.id)).filter((e) => e.type === 'delivery_status').map((e) => e.data);
    expect(reports).toEqual([
      expect.objectContaining({
        recipient: `reporter:${alert.focalPointId}`,
        channel: 'sms',
        purpose: 'confirmation',
        status: 'delivered',
        applied: true,
        errorCode: null,
      }),
      expect.objectContaining({ status: 'sent', applied: false, previous: 'delivered' }),
    ]);

    // A forged status callback changes nothing.
    const url = `${publicUrl}/webhooks/twilio/status`;
    const forged = signedTwilioWebhook('wrong', url, { MessageSid: confirmation.sid, MessageStatus: 'failed' });
    expect((await fetch(url, { method: 'POST', headers: forged.headers, body: forged.payload })).status).toBe(403);
    expect((await outboundOf(alert.id, 'confirmation'))[0]?.status).toBe('delivered');
  });

  it('fails a message for good on 21211 (message_failed) and a card on 21211 (notification_failed), without retrying', async () => {
    const from = reporterNumber();
    sms.rejectNumber(from);
    const alert = await warn(from, 'Des hommes armés brûlent des maisons à Mopti');
    const [confirmation] = await eventually(
      async () => {
        const rows = await outboundOf(alert.id, 'confirmation');
        return rows[0]?.status === 'failed' ? rows : undefined;
      },
      { what: 'the confirmation to fail' },
    );
    expect(confirmation).toMatchObject({ attempts: 1 });
    expect(confirmation!.error).toContain('21211');
    const failed = (await eventsOf(app, alert.id)).find((e) => e.type === 'message_failed');
    expect(failed?.data).toMatchObject({ purpose: 'confirmation', recipient: `reporter:${alert.focalPointId}`, attempt: 1 });

    sms.rejectNumber(MAIGA, twilioErrors.invalidTo(MAIGA));
    const gao = await warn(reporterNumber(), 'Attaque contre le village, des morts, à Gao');
    expect(gao.officeId).toBe('gao');
    const notification = await eventually(async () => (await eventsOf(app, gao.id)).find((e) => e.type === 'notification_failed'), {
      what: 'the card to fail',
    });
    expect(notification.data).toMatchObject({ recipient: 'officer:o-maiga', channel: 'sms', attempt: 1 });
    expect(String(notification.data.error)).toMatch(/^Twilio 21211 \(HTTP 400\)/);
  });

  it('a card Twilio accepted but could not deliver is a notification_failed on the timeline, and a warning in the log', async () => {
    const alert = await warn(reporterNumber(), 'Hommes armés près de Mopti, ils tirent');
    const card = await sms.waitForMessage((m) => m.to === DIALLO && m.body.includes(alert.ref), 10_000);
    expect(await sms.sendStatus(card.sid, 'sent')).toBe(204);
    expect(await sms.sendStatus(card.sid, 'undelivered', 30003)).toBe(204);
    const failed = await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'notification_failed'), {
      what: 'the card reported undelivered',
    });
    expect(failed.data).toMatchObject({
      recipient: 'officer:o-diallo',
      channel: 'sms',
      purpose: 'card',
      error: 'not delivered: undelivered (error 30003)',
    });
    // A second report of the same changes nothing more.
    expect(await sms.sendStatus(card.sid, 'undelivered', 30003)).toBe(204);
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'notification_failed')).toHaveLength(1);
    expect(logLines.some((l) => l.includes('Twilio could not deliver an SMS it had accepted') && l.includes('30003'))).toBe(true);
  });

  it('retries a message Twilio answered with 500, then sends it', async () => {
    await new Promise((r) => setTimeout(r, 300)); // let earlier sends settle: the next creation is this test's
    sms.failNext(twilioErrors.internal);
    const from = reporterNumber();
    const alert = await warn(from, 'Mine explosée sur la route de Mopti');
    const confirmation = await sms.waitForMessage((m) => m.to === from, 20_000);
    expect(confirmation.body).toContain(alert.ref);
    const rows = await eventually(
      async () => {
        const all = await app.deps.db.select().from(outboundMessages).where(eq(outboundMessages.alertId, alert.id));
        return all.length >= 2 && all.every((r) => r.status === 'sent') ? all : undefined;
      },
      { what: 'every message of the alert to be sent', timeout: 20_000 },
    );
    const retried = rows.filter((r) => r.attempts > 1);
    expect(retried).toEqual([expect.objectContaining({ channel: 'sms', attempts: 2, status: 'sent' })]);
    const warning = logLines
      .map((l) => JSON.parse(l) as { msg: string; outboundId?: number; err?: string })
      .find((l) => l.msg === 'send failed; will retry');
    expect(warning).toMatchObject({ outboundId: retried[0]!.id, err: 'Twilio 20500 (HTTP 500): Internal Server Error' });
    expect((await eventsOf(app, alert.id)).map((e) => e.type)).not.toContain('message_failed');
  });

  it("never shows a reporter's number in a message to an officer or in the logs", async () => {
    const officerMessages = sms.messages().filter((m) => [DIALLO, MAIGA, '+22370000003'].includes(m.to));
    expect(officerMessages.length).toBeGreaterThan(3);
    const log = logLines.join('');
    const sends = logLines.map((l) => JSON.parse(l) as { msg: string; segments?: number; encoding?: string }).filter((l) => l.msg === 'SMS sent');
    expect(sends.length).toBe(sms.messages().length);
    expect(sends.every((l) => l.segments! >= 1 && (l.encoding === 'GSM-7' || l.encoding === 'UCS-2'))).toBe(true);
    for (const phone of reporters) {
      const national = phone.slice(4); // without +223
      for (const m of officerMessages) expect(m.body).not.toContain(national);
      expect(log).not.toContain(national);
    }
  });
});
