import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_TWIML } from '../../src/channels/twilio-webhooks.js';
import { fakeProviderEnv } from '../fakes/env.js';
import { inboundSmsParams, signedTwilioWebhook, telegramTextUpdate, postTelegramUpdate } from '../fakes/sign.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { queueBackends } from '../helpers/env.js';
import { startTamtamBehindProxy, type TamtamBehindProxy } from '../helpers/outage.js';
import { eventually, testDeployment } from '../helpers/tamtam.js';

const TWILIO_NUMBER = '+22320000000';
const secret = 'telegram-webhook-secret-outage';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// On both backends. BullMQ's PostgreSQL backend, as shipped, spins on a dead connection and crashes
// on a client lost mid-query; src/workflows/queue/backend.ts makes it wait the outage out.
describe.each(queueBackends)('PostgreSQL unreachable for 30 s (%s queue backend): no warning lost', (backend) => {
  let sms: FakeTwilio;
  let telegram: FakeTelegram;
  let t: TamtamBehindProxy;

  beforeAll(async () => {
    sms = await startFakeTwilio();
    telegram = await startFakeTelegram();
    t = await startTamtamBehindProxy({
      backend,
      deployment: testDeployment({ ackTimeout: '30m' }),
      env: fakeProviderEnv({ sms, telegram, twilioFrom: TWILIO_NUMBER, webhookSecret: secret }),
    });
  });
  afterAll(async () => {
    await t?.stop();
    await sms?.close();
    await telegram?.close();
  });

  const textIn = (from: string, body: string) => {
    const url = `${t.publicUrl}/webhooks/twilio/sms`;
    const request = signedTwilioWebhook(sms.authToken, url, inboundSmsParams({ from, to: TWILIO_NUMBER, body, accountSid: sms.accountSid }));
    return fetch(url, { method: 'POST', headers: request.headers, body: request.payload });
  };
  const telegramIn = (text: string, fromId: number) => postTelegramUpdate(t.publicUrl, secret, telegramTextUpdate({ text, fromId }));
  const count = async (query: ReturnType<typeof sql>) => (await t.direct.db.execute<{ n: number }>(query)).rows[0]!.n;
  const journalText = async () => {
    const dir = path.join(t.dataDir, 'journal');
    const files = await readdir(dir);
    return (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
  };

  it('answers 30 SMS and a Telegram message while PostgreSQL is cut, then makes 30 + 1 alerts and confirms each once', async () => {
    const reporters = Array.from({ length: 30 }, (_, i) => `+2237691${String(i).padStart(4, '0')}`);
    const telegramReporter = 700_000_000 + Math.floor(Math.random() * 1_000_000);
    const logsBefore = t.logs.length;
    await t.postgres.cut();
    const cutAt = Date.now();

    const answers: { status: number; body: string }[] = [];
    for (const [i, from] of reporters.entries()) {
      const response = await textIn(from, `Des hommes armés encerclent le village près de Mopti (${i + 1})`);
      answers.push({ status: response.status, body: await response.text() });
      if (i === 14) expect((await telegramIn('Des hommes armés ont brûlé des greniers à Mopti', telegramReporter)).status).toBe(200);
      await sleep(Math.max(0, cutAt + (i + 1) * 950 - Date.now()));
    }
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect(answers.every((a) => a.body === EMPTY_TWIML)).toBe(true);

    // Kept on disk meanwhile, and nobody's number or Telegram id in clear.
    const journal = await journalText();
    expect(journal.split('\n').filter(Boolean)).toHaveLength(31);
    for (const from of reporters) expect(journal).not.toContain(from.slice(4));
    expect(journal).not.toContain(String(telegramReporter));
    expect(journal).not.toContain('hommes');
    expect(await count(sql`select count(*)::int as n from inbound_messages`)).toBe(0);

    await sleep(Math.max(0, cutAt + 30_000 - Date.now()));
    await t.postgres.restore();

    await eventually(async () => (await count(sql`select count(*)::int as n from alerts where status = 'notified'`)) === 31, {
      timeout: 60_000,
      what: '31 notified alerts',
    });
    await eventually(async () => reporters.every((from) => sms.messages().some((m) => m.to === from)), {
      timeout: 30_000,
      what: '30 confirmation SMS',
    });
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === telegramReporter, 30_000);
    await sleep(1_000);
    for (const from of reporters) expect(sms.messages().filter((m) => m.to === from)).toHaveLength(1);
    expect(telegram.callsOf('sendMessage').filter((c) => c.params.chat_id === telegramReporter)).toHaveLength(1);
    expect(await count(sql`select count(*)::int as n from alerts`)).toBe(31);
    expect(await count(sql`select count(*)::int as n from inbound_messages`)).toBe(31);
    // Replayed in arrival order.
    const { rows } = await t.direct.db.execute<{ text: string }>(sql`select text from inbound_messages where channel = 'sms' order by id`);
    expect(rows.map((r) => Number(/\((\d+)\)/.exec(r.text)![1]))).toEqual(reporters.map((_, i) => i + 1));
    await eventually(async () => (await readdir(path.join(t.dataDir, 'journal'))).length === 0, { what: 'the journal to be emptied' });

    // One line per problem, not one per message.
    const outage = t.logs.slice(logsBefore);
    const warnings = outage.filter((l) => l.level >= 40);
    expect(outage.filter((l) => l.msg === 'database unreachable: journaling inbound messages')).toHaveLength(1);
    expect(outage.filter((l) => l.msg === 'database reachable: journaled inbound messages replayed')).toEqual([
      expect.objectContaining({ messages: 31 }),
    ]);
    const perProblem = new Map<string, number>();
    for (const l of warnings) perProblem.set(`${l.component ?? ''} ${l.msg}`, (perProblem.get(`${l.component ?? ''} ${l.msg}`) ?? 0) + 1);
    expect([...perProblem].filter(([, n]) => n > 1)).toEqual([]);
  }, 180_000);

  it('replays at start-up what a stopped process left in its journal', async () => {
    const reporters = Array.from({ length: 5 }, (_, i) => `+2237692${String(i).padStart(4, '0')}`);
    await t.postgres.cut();
    for (const [i, from] of reporters.entries()) expect((await textIn(from, `Enlèvement de deux personnes à Mopti (${i + 1})`)).status).toBe(200);
    expect((await journalText()).split('\n').filter(Boolean)).toHaveLength(5);

    // Stopped while PostgreSQL is still unreachable; a new process starts on the same DATA_DIR once it is back.
    await t.restart(() => t.postgres.restore());
    await eventually(async () => reporters.every((from) => sms.messages().some((m) => m.to === from)), {
      timeout: 30_000,
      what: '5 confirmation SMS',
    });
    await sleep(1_000);
    for (const from of reporters) expect(sms.messages().filter((m) => m.to === from)).toHaveLength(1);
    expect(await count(sql`select count(*)::int as n from alerts where text like 'Enlèvement de deux personnes%'`)).toBe(5);
    expect(t.logs.filter((l) => l.msg === 'replaying inbound messages journaled before the last stop')).toEqual([
      expect.objectContaining({ messages: 5 }),
    ]);
    expect(await readdir(path.join(t.dataDir, 'journal'))).toEqual([]);
  }, 120_000);
});

describe('PostgreSQL unreachable and the journal full', () => {
  let sms: FakeTwilio;
  let t: TamtamBehindProxy;
  beforeAll(async () => {
    sms = await startFakeTwilio();
    t = await startTamtamBehindProxy({
      backend: 'redis',
      deployment: testDeployment({ ackTimeout: '30m' }),
      env: { ...fakeProviderEnv({ sms, twilioFrom: TWILIO_NUMBER }), JOURNAL_MAX_BYTES: '1' },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await sms?.close();
  });

  it('answers 503 with Retry-After, logs it once, and takes messages again once PostgreSQL is back', async () => {
    const url = `${t.publicUrl}/webhooks/twilio/sms`;
    const textIn = (from: string, body: string) => {
      const request = signedTwilioWebhook(sms.authToken, url, inboundSmsParams({ from, to: TWILIO_NUMBER, body, accountSid: sms.accountSid }));
      return fetch(url, { method: 'POST', headers: request.headers, body: request.payload });
    };
    await t.postgres.cut();
    const refused = await Promise.all([1, 2, 3].map((i) => textIn(`+223769300${i}0`, `Tirs à Mopti (${i})`)));
    expect(refused.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(refused.map((r) => r.headers.get('retry-after'))).toEqual(['30', '30', '30']);
    expect(t.logs.filter((l) => l.level >= 50 && l.component === 'journal').map((l) => l.msg)).toEqual([
      'inbound messages cannot be stored now (journal full: 0 of 1 bytes): refusing inbound messages (webhooks answer 503)',
    ]);
    expect(t.logs.filter((l) => l.msg === 'request failed')).toEqual([]);
    expect(t.logs.filter((l) => l.msg === 'database unreachable: journaling inbound messages')).toHaveLength(1);

    await t.postgres.restore();
    const from = '+22376930040';
    await eventually(async () => (await textIn(from, 'Tirs à Mopti (4)')).status === 200, {
      timeout: 20_000,
      what: 'the webhook to take messages again',
    });
    await sms.waitForMessage((m) => m.to === from, 30_000);
  }, 60_000);
});
