// Channel benchmarks (issue 3): signed Twilio webhooks accepted per second over HTTP (autocannon),
// and latency from an SMS webhook to the fake Telegram Bot API receiving the officer's card.
// Tamtam runs in a child process (bench/tamtam-process.ts) on a fresh database with Twilio and
// Telegram on the fakes of test/fakes; the load generator and the fakes run in this process.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { deleteQueueNamespace } from '../test/helpers/redis.js';
import { fakeProviderEnv } from '../test/fakes/env.js';
import { inboundSmsParams, signedTwilioWebhook, twilioSignature } from '../test/fakes/sign.js';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram-api.js';
import { startFakeTwilio, type FakeTwilio } from '../test/fakes/twilio-api.js';
import { spawnTamtam, type TamtamChild } from './tamtam-child.js';
import { benchDatabase } from './database.js';
import { percentile, redisUrl } from './workflow.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const TWILIO_NUMBER = '+22320000000';
/** The first Mopti officer's Telegram id: latency is measured on the cards sent to them. */
const OFFICER_CHAT = 900001;

const deployment = `
mission: BENCH
defaultLanguage: fr
fieldOffices:
  - { id: mopti, name: Mopti, area: { admin1: [Mopti] }, location: [14.49, -4.19] }
  - { id: joc, name: JOC, area: {}, triage: true }
officers:
  - { id: o-1, name: Officer 1, office: mopti, role: officer, telegramId: ${OFFICER_CHAT} }
  - { id: o-2, name: Officer 2, office: mopti, role: officer, telegramId: 900002 }
  - { id: o-s, name: Supervisor, office: mopti, role: supervisor, telegramId: 900003 }
  - { id: o-j, name: JOC, office: joc, role: joc, telegramId: 900004 }
escalationPolicies:
  default:
    ackTimeout: { critical: 1h, high: 1h, medium: 1h, low: 1h }
    levels: [{ notify: [office.officers] }, { notify: [office.supervisors] }, { notify: [role.joc] }]
    repeatLast: 0
gazetteers: [{ path: ${path.join(root, 'deploy/gazetteer/mali.csv')} }]
# Every warning here names Mopti with the same words: one incident, which grouping would make one
# alert. The benchmark measures distinct warnings, each an alert of its own.
sameIncident: { group: false }
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Instance {
  publicUrl: string;
  databaseUrl: string;
  sms: FakeTwilio;
  telegram: FakeTelegram;
  child: ChildProcess;
}

/** A fresh database, both fakes, and Tamtam in a child process with Twilio and Telegram on them. */
async function withTamtam<T>(backend: 'redis' | 'postgres', role: 'all' | 'web', run: (instance: Instance) => Promise<T>): Promise<T> {
  const database = await benchDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-bench-'));
  await writeFile(path.join(dir, 'deployment.yaml'), deployment);
  const namespace = `bench_${randomBytes(4).toString('hex')}`;
  const telegram = await startFakeTelegram();
  const sms = await startFakeTwilio();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    ...(backend === 'redis' ? { REDIS_URL: redisUrl } : {}),
    PII_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: dir,
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    DEPLOYMENT_FILE: path.join(dir, 'deployment.yaml'),
    ...fakeProviderEnv({ telegram, sms, twilioFrom: TWILIO_NUMBER, webhookSecret: randomBytes(16).toString('hex') }),
    LOG_LEVEL: 'silent',
    BENCH_NAMESPACE: namespace,
    BENCH_ROLE: role,
  };
  let tamtam: TamtamChild | undefined;
  try {
    tamtam = await spawnTamtam(env);
    if (!tamtam.url) throw new Error('Tamtam did not report where it listens');
    return await run({ publicUrl, databaseUrl: database.url, sms, telegram, child: tamtam.child });
  } finally {
    await tamtam?.stop();
    await Promise.all([telegram.close(), sms.close()]);
    if (backend === 'redis') await deleteQueueNamespace(redisUrl, namespace);
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reporter number `i`: distinct Malian mobile numbers (+223 76… onwards). */
const reporter = (i: number) => `+2237${String(6_000_000 + i)}`;
const sid = (prefix: string, i: number) => `SM${prefix}${i.toString(16).padStart(32 - prefix.length, '0')}`;

export interface WebhookThroughput {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  /** Inbound messages in PostgreSQL afterwards: every 200 must be one. */
  stored: number;
}

/**
 * Signed Twilio inbound-SMS webhooks accepted per second over HTTP: autocannon, `connections`
 * keep-alive connections for `seconds`, every request a distinct MessageSid from a distinct number,
 * signed in advance (a pool larger than the run can use; signed on the fly if it runs out).
 * `role` `all` is `npm start` (the workflow runs in the same process); `web` is the web tier alone.
 */
export async function benchWebhookThroughput(
  backend: 'redis' | 'postgres',
  role: 'all' | 'web',
  seconds: number,
  connections = 32,
): Promise<WebhookThroughput> {
  return withTamtam(backend, role, async ({ publicUrl, databaseUrl, sms }) => {
    const url = `${publicUrl}/webhooks/twilio/sms`;
    const runId = randomBytes(3).toString('hex');
    const sign = (i: number) => {
      const params = inboundSmsParams({
        from: reporter(i % 3_000_000),
        to: TWILIO_NUMBER,
        body: `Des hommes armés vus près de Mopti ce matin (${i})`,
        accountSid: sms.accountSid,
        messageSid: sid(runId, i),
      });
      return { body: new URLSearchParams(params).toString(), signature: twilioSignature(sms.authToken, url, params) };
    };
    const pool = Array.from({ length: seconds * 5_000 }, (_, i) => sign(i));
    let next = 0;
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const i = next++;
            const { body, signature } = pool[i] ?? sign(i);
            return { ...request, body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } };
          },
        },
      ],
    });
    // Every accepted webhook must have been stored once: count them to be sure the 200s were real.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const stored = (await db.query<{ n: number }>(`select count(*)::int as n from inbound_messages where channel = 'sms'`)).rows[0]!.n;
    await db.end();
    return {
      stored,
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      total: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
    };
  });
}

/**
 * Latency from posting a signed SMS webhook to the fake Telegram Bot API receiving the first Mopti
 * officer's card for it, at a steady `rate` messages/s for `seconds` (role `all`, one process).
 */
export async function benchWebhookToCard(
  backend: 'redis' | 'postgres',
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number; count: number; total: number }> {
  return withTamtam(backend, 'all', async ({ publicUrl, sms, telegram }) => {
    const url = `${publicUrl}/webhooks/twilio/sms`;
    const postedAt = new Map<number, number>();
    const total = rate * seconds;
    const runId = randomBytes(3).toString('hex');
    const requests = Array.from({ length: total }, (_, i) =>
      signedTwilioWebhook(
        sms.authToken,
        url,
        inboundSmsParams({
          from: reporter(i),
          to: TWILIO_NUMBER,
          body: `Tirs entendus à Mopti (#${i})`,
          accountSid: sms.accountSid,
          messageSid: sid(runId, i),
        }),
      ),
    );
    const failures: string[] = [];
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / rate - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      postedAt.set(i, Date.now());
      const { headers, payload } = requests[i]!;
      void fetch(url, { method: 'POST', headers, body: payload }).then(
        async (response) => {
          await response.arrayBuffer();
          if (response.status !== 200) failures.push(String(response.status));
        },
        (error: Error) => failures.push(error.message),
      );
    }
    const cards = () => telegram.callsOf('sendMessage').filter((c) => c.params.chat_id === OFFICER_CHAT);
    const deadline = Date.now() + 120_000;
    while (cards().length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const latencies: number[] = [];
    for (const call of cards()) {
      const n = Number(/\(#(\d+)\)/.exec(String(call.params.text))?.[1]);
      const at = postedAt.get(n);
      if (at !== undefined) latencies.push(call.at.getTime() - at);
    }
    if (failures.length) console.warn(`  ${failures.length} webhooks failed (${[...new Set(failures)].slice(0, 3).join(', ')})`);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length, total };
  });
}
