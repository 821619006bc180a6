import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_TWIML } from '../../src/channels/twilio-webhooks.js';
import { fakeProviderEnv } from '../fakes/env.js';
import { inboundSmsParams, signedTwilioWebhook } from '../fakes/sign.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { alertRows } from '../helpers/alerts.js';
import { testRedisUrl } from '../helpers/env.js';
import type { LogLine } from '../helpers/outage.js';
import { eventually, freePort, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const TWILIO_NUMBER = '+22320000000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis unreachable for 30 s (Redis queue backend): no warning lost', () => {
  let sms: FakeTwilio;
  let redis: TcpProxy;
  let app: TestTamtam;
  let publicUrl: string;
  const logs: LogLine[] = [];

  beforeAll(async () => {
    sms = await startFakeTwilio();
    const target = new URL(testRedisUrl);
    redis = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const capture = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    app = await startTestTamtam({
      backend: 'redis',
      deployment: testDeployment({ ackTimeout: '30m' }),
      log: pino({ level: 'info' }, capture),
      // The reconciler every 5 s instead of 30 s, to keep the test short.
      start: { workers: { reconcile: { everyMs: 5_000, staleAfterMs: 5_000 } } },
      env: { PORT: String(port), PUBLIC_URL: publicUrl, REDIS_URL: redis.url(testRedisUrl), ...fakeProviderEnv({ sms, twilioFrom: TWILIO_NUMBER }) },
    });
  });
  afterAll(async () => {
    await redis?.restore();
    await app?.stop();
    await redis?.close();
    await sms?.close();
  });

  const textIn = (from: string, body: string) => {
    const url = `${publicUrl}/webhooks/twilio/sms`;
    const request = signedTwilioWebhook(sms.authToken, url, inboundSmsParams({ from, to: TWILIO_NUMBER, body, accountSid: sms.accountSid }));
    return fetch(url, { method: 'POST', headers: request.headers, body: request.payload, signal: AbortSignal.timeout(15_000) });
  };

  it('answers 30 SMS while Redis is cut, each within Twilio’s 15 s, then makes 30 alerts and confirms each once', async () => {
    const reporters = Array.from({ length: 30 }, (_, i) => `+2237694${String(i).padStart(4, '0')}`);
    const logsBefore = logs.length;
    await redis.cut();
    const cutAt = Date.now();
    const answers: { status: number; body: string; ms: number }[] = [];
    for (const [i, from] of reporters.entries()) {
      const sent = Date.now();
      const response = await textIn(from, `Des hommes armés brûlent des maisons à Mopti (${i + 1})`);
      answers.push({ status: response.status, body: await response.text(), ms: Date.now() - sent });
      await sleep(Math.max(0, cutAt + (i + 1) * 950 - Date.now()));
    }
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect(answers.every((a) => a.body === EMPTY_TWIML)).toBe(true);
    await sleep(Math.max(0, cutAt + 30_000 - Date.now()));
    await redis.restore();

    await eventually(async () => (await alertRows(app)).filter((a) => a.status === 'notified').length === 30, {
      timeout: 90_000,
      what: '30 notified alerts',
    });
    await eventually(async () => reporters.every((from) => sms.messages().some((m) => m.to === from)), {
      timeout: 30_000,
      what: '30 confirmation SMS',
    });
    await sleep(1_000);
    for (const from of reporters) expect(sms.messages().filter((m) => m.to === from)).toHaveLength(1);
    expect(await alertRows(app)).toHaveLength(30);

    const problems = logs
      .slice(logsBefore)
      .filter((l) => l.level >= 40)
      .map((l) => `${l.component ?? ''}: ${l.msg}: ${String(l.err)}`);
    expect(problems).toEqual([...new Set(problems)]);
  }, 180_000);
});
