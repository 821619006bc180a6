/**
 * npm run demo: one alert from a focal point's SMS to its resolution, with nothing to install or
 * configure. Tamtam runs in this process on its embedded defaults (embedded PostgreSQL under a
 * temporary DATA_DIR, BullMQ's PostgreSQL backend) with the bundled demo deployment (deadlines
 * shortened to a few seconds), Telegram and Twilio both on, pointed at the fake Bot API and the
 * fake Twilio REST API the tests use. Officers' taps and replies are delivered to
 * /webhooks/telegram as Telegram delivers them (with the secret); the focal point's texts are
 * signed Twilio webhooks. Prints a timeline to stdout, then the alert's timeline from the API,
 * stops everything and exits by itself (0 when every step happened, 1 otherwise).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message } from 'grammy/types';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startTamtam, type Tamtam } from '../src/main.js';
import { responseTable } from '../src/commands/report-table.js';
import { responseReport } from '../src/db/response-report.js';
import { monthOf } from '../src/workflows/response/summary.js';
import { fakeProviderEnv } from '../test/fakes/env.js';
import { inboundSmsParams, signedTwilioWebhook, telegramCallbackUpdate, telegramTextUpdate } from '../test/fakes/sign.js';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram-api.js';
import { startFakeTwilio, type FakeTwilio } from '../test/fakes/twilio-api.js';

/** Seconds an alert waits for an acknowledgement before the next escalation level (every severity). */
const ACK_TIMEOUT_SECONDS = 6;
const root = fileURLToPath(new URL('..', import.meta.url));

// From deploy/demo.yaml.
const FOCAL_POINT = '+22376000001'; // PF Bankass in deploy/demo.yaml
const DIALLO = { id: 111111, name: 'A. Diallo (officer, Mopti)' };
const TRAORE = { id: 111112, name: 'F. Traoré (officer, Mopti)' };
const KEITA = { id: 222222, name: 'B. Keita (supervisor, Mopti)' };
const TWILIO_NUMBER = '+22320000000';
const WARNING = 'Des hommes armés sont entrés dans un village près de Bankass, ils tirent';
const QUESTION = 'Combien sont-ils et dans quelle direction vont-ils ?';
const ANSWER = 'Une vingtaine, à moto, ils partent vers Bankass';

const started = performance.now();
const clock = () => `+${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s`;

/** One line of the timeline: time since start, who, what; then the message text, indented. */
function say(who: string, what: string, text?: string): void {
  console.log(`${clock()}  ${who.padEnd(38)} ${what}`);
  if (text !== undefined) for (const line of text.split('\n')) console.log(`${' '.repeat(10)}│ ${line}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** deploy/demo.yaml with short deadlines and an absolute gazetteer path, written into `dir`. */
async function demoDeployment(dir: string): Promise<string> {
  const original = await readFile(path.join(root, 'deploy/demo.yaml'), 'utf8');
  const t = `${ACK_TIMEOUT_SECONDS}s`;
  const yaml = original
    .replace(/ackTimeout: \{[^}]*\}/, `ackTimeout: { critical: ${t}, high: ${t}, medium: ${t}, low: ${t} }`)
    .replace(/path: gazetteer\//g, `path: ${path.join(root, 'deploy/gazetteer')}/`);
  if (yaml === original || !yaml.includes(`critical: ${t}`)) throw new Error('deploy/demo.yaml changed shape: could not shorten ackTimeout');
  const file = path.join(dir, 'deployment.yaml');
  await writeFile(file, yaml);
  return file;
}

async function main(): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-demo-'));
  const telegram: FakeTelegram = await startFakeTelegram();
  const sms: FakeTwilio = await startFakeTwilio();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const adminToken = randomBytes(16).toString('hex');
  let app: Tamtam | undefined;
  try {
    say('demo', `starting Tamtam: embedded PostgreSQL under ${dir}, fake Telegram ${telegram.url}, fake Twilio ${sms.url}`);
    const config = loadConfig({
      DATA_DIR: dir,
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      DEPLOYMENT_FILE: await demoDeployment(dir),
      ...fakeProviderEnv({ telegram, sms, twilioFrom: TWILIO_NUMBER, webhookSecret: randomBytes(16).toString('hex') }),
      ADMIN_API_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
    });
    // Tamtam's own log (warnings and errors only) goes to stderr; stdout is the timeline.
    app = await startTamtam(config, { log: createLogger(config.logLevel, process.stderr) });
    say('demo', `Tamtam ready at ${app.url} (queues: BullMQ on PostgreSQL, acknowledge deadline ${ACK_TIMEOUT_SECONDS} s)`);
    const api = async (p: string) => {
      const response = await fetch(`${app!.url}${p}`, { headers: { authorization: `Bearer ${adminToken}` } });
      if (!response.ok) throw new Error(`GET ${p}: ${response.status}`);
      return response.json() as Promise<Record<string, unknown>>;
    };
    const textIn = async (from: string, body: string) => {
      const url = `${publicUrl}/webhooks/twilio/sms`;
      const request = signedTwilioWebhook(sms.authToken, url, inboundSmsParams({ from, to: TWILIO_NUMBER, body, accountSid: sms.accountSid }));
      const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.payload });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`Twilio webhook answered ${response.status}`);
    };
    const deliver = async (update: Parameters<FakeTelegram['deliverWebhook']>[0]) => {
      const status = await telegram.deliverWebhook(update);
      if (status !== 200) throw new Error(`Telegram webhook answered ${status}`);
    };
    const wait = <T>(what: string, promise: Promise<T>) =>
      promise.catch((error: Error) => Promise.reject(new Error(`${what}: ${error.message.split('\n')[0]}`)));

    // 1. The focal point's warning, by SMS.
    console.log('\n== 1. A focal point texts a warning');
    say(`focal point ${FOCAL_POINT}`, 'SMS to Tamtam (signed Twilio webhook)', WARNING);
    await textIn(FOCAL_POINT, WARNING);
    const confirmation = await wait(
      'the confirmation SMS',
      sms.waitForMessage((m) => m.to === FOCAL_POINT, 30_000),
    );
    say('Tamtam → focal point', 'SMS confirmation (fake Twilio received it)', confirmation.body);

    // 2. The officers' cards in Telegram.
    console.log('\n== 2. The Mopti officers get the alert card in Telegram');
    const card = await wait(
      'the card to A. Diallo',
      telegram.waitForCall('sendMessage', (p) => p.chat_id === DIALLO.id && /ALERT/i.test(String(p.text)), 30_000),
    );
    const cardAt = performance.now();
    const ref = /ALERTE? ([A-Z0-9]{5,8})/.exec(String(card.params.text))?.[1];
    if (!ref) throw new Error(`no reference in the card: ${String(card.params.text)}`);
    const buttons = (card.params.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard
      ?.flat()
      .map((b) => `[${b.text}]`)
      .join(' ');
    say(`Tamtam → ${DIALLO.name}`, `Telegram card, alert ${ref}`, `${String(card.params.text)}\n${buttons ?? ''}`);
    await wait(
      'the card to F. Traoré',
      telegram.waitForCall('sendMessage', (p) => p.chat_id === TRAORE.id && String(p.text).includes(ref), 10_000),
    );
    say(`Tamtam → ${TRAORE.name}`, 'the same card');

    // 3. Nobody acknowledges: the supervisor is pinged at the deadline.
    console.log(`\n== 3. Nobody acknowledges within ${ACK_TIMEOUT_SECONDS} s: escalation to the supervisor`);
    say('demo', 'the officers do nothing…');
    const ping = await wait(
      'the supervisor’s escalation',
      telegram.waitForCall('sendMessage', (p) => p.chat_id === KEITA.id && String(p.text).includes(ref), (ACK_TIMEOUT_SECONDS + 30) * 1000),
    );
    say(
      `Tamtam → ${KEITA.name}`,
      `Telegram escalation, ${((performance.now() - cardAt) / 1000).toFixed(1)} s after the card`,
      String(ping.params.text),
    );

    // 4. The officer acknowledges with the button.
    console.log('\n== 4. A. Diallo presses Acknowledge on the card');
    const cardMessage = (telegram.messagesIn(DIALLO.id) as Message.TextMessage[]).find((m) => m.text?.includes(ref));
    if (!cardMessage) throw new Error('the card is not in A. Diallo’s chat');
    const answersBefore = telegram.callsOf('answerCallbackQuery').length;
    say(DIALLO.name, `presses a button (callback_query ack:${ref} to /webhooks/telegram)`);
    await deliver(
      telegramCallbackUpdate({
        data: `ack:${ref}`,
        fromId: DIALLO.id,
        chatId: DIALLO.id,
        messageId: cardMessage.message_id,
        messageText: cardMessage.text,
      }),
    );
    const ackAnswer = await wait(
      'the answer to the button',
      telegram.log.waitFor((c) => c.method === 'answerCallbackQuery' && telegram.callsOf('answerCallbackQuery').indexOf(c) >= answersBefore, 30_000),
    );
    say(`Tamtam → ${DIALLO.name}`, 'Telegram answers the button', String(ackAnswer.params.text));
    const edited = await wait(
      'the card edited',
      telegram.waitForCall('editMessageText', (p) => p.chat_id === DIALLO.id && String(p.text).includes(ref), 30_000),
    );
    say(`Tamtam → ${DIALLO.name}`, 'card edited in place (every copy is)', String(edited.params.text));

    // 5. The officer's question to the focal point, bridged to SMS.
    console.log('\n== 5. A. Diallo replies to the card; the focal point gets it by SMS');
    say(DIALLO.name, 'replies to the card in Telegram', QUESTION);
    await deliver(telegramTextUpdate({ text: QUESTION, fromId: DIALLO.id, replyTo: { messageId: cardMessage.message_id, text: cardMessage.text } }));
    const question = await wait(
      'the question by SMS',
      sms.waitForMessage((m) => m.to === FOCAL_POINT && m.body.includes(QUESTION), 30_000),
    );
    say('Tamtam → focal point', 'SMS (fake Twilio received it)', question.body);
    const bridged = await wait(
      'the officer’s receipt',
      telegram.waitForCall('sendMessage', (p) => p.chat_id === DIALLO.id && /transmis|sent to/i.test(String(p.text)), 30_000),
    );
    say(`Tamtam → ${DIALLO.name}`, 'Telegram', String(bridged.params.text));

    // 6. The focal point's answer, bridged back to Telegram.
    console.log('\n== 6. The focal point answers by SMS; A. Diallo gets it in Telegram');
    say(`focal point ${FOCAL_POINT}`, 'SMS to Tamtam (signed Twilio webhook)', ANSWER);
    await textIn(FOCAL_POINT, ANSWER);
    const answer = await wait(
      'the answer in Telegram',
      telegram.waitForCall('sendMessage', (p) => p.chat_id === DIALLO.id && String(p.text).includes(ANSWER), 30_000),
    );
    say(`Tamtam → ${DIALLO.name}`, 'Telegram', String(answer.params.text));
    const receipt = await wait(
      'the receipt SMS',
      sms.waitForMessage((m) => m.to === FOCAL_POINT && m.sid !== confirmation.sid && m.sid !== question.sid, 30_000),
    );
    say('Tamtam → focal point', 'SMS (fake Twilio received it)', receipt.body);

    // 7. Resolved.
    console.log('\n== 7. A. Diallo presses Resolve');
    const beforeResolve = telegram.callsOf('answerCallbackQuery').length;
    say(DIALLO.name, `presses a button (callback_query resolve:${ref} to /webhooks/telegram)`);
    await deliver(
      telegramCallbackUpdate({
        data: `resolve:${ref}`,
        fromId: DIALLO.id,
        chatId: DIALLO.id,
        messageId: cardMessage.message_id,
        messageText: cardMessage.text,
      }),
    );
    const resolveAnswer = await wait(
      'the answer to Resolve',
      telegram.log.waitFor((c) => c.method === 'answerCallbackQuery' && telegram.callsOf('answerCallbackQuery').indexOf(c) >= beforeResolve, 30_000),
    );
    say(`Tamtam → ${DIALLO.name}`, 'Telegram answers the button', String(resolveAnswer.params.text));
    let alert = await api(`/api/alerts/${ref}`);
    for (let i = 0; alert.status !== 'resolved' && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      alert = await api(`/api/alerts/${ref}`);
    }
    if (alert.status !== 'resolved') throw new Error(`alert ${ref} is ${String(alert.status)}, not resolved`);
    say('demo', `alert ${ref} is resolved`);
    // What was done: ticked on the card, under "What was done?".
    for (const outcome of ['patrol', 'engagement']) {
      say(DIALLO.name, `ticks an outcome (callback_query out:${outcome}:${ref})`);
      await deliver(
        telegramCallbackUpdate({
          data: `out:${outcome}:${ref}`,
          fromId: DIALLO.id,
          chatId: DIALLO.id,
          messageId: cardMessage.message_id,
          messageText: cardMessage.text,
        }),
      );
      const ticked = await wait(
        'the outcome recorded',
        telegram.waitForCall(
          'answerCallbackQuery',
          (p) => String(p.text).includes(ref) && String(p.text).includes(outcome === 'patrol' ? 'Patrouille' : 'Dialogue'),
          30_000,
        ),
      );
      say(`Tamtam → ${DIALLO.name}`, 'Telegram answers the button', String(ticked.params.text));
    }

    // 8. What the mission keeps.
    console.log(`\n== 8. The alert's timeline (GET /api/alerts/${ref})`);
    await new Promise((r) => setTimeout(r, 500)); // let the last card edits and SMS be recorded
    alert = await api(`/api/alerts/${ref}`);
    const events = alert.events as {
      at: string;
      type: string;
      actor: string | null;
      from: string | null;
      to: string | null;
      data: Record<string, unknown> | null;
    }[];
    const first = new Date(events[0]!.at).getTime();
    console.log(
      `alert ${ref}: ${String(alert.threatType)}, severity ${String(alert.severity)}, office ${String(alert.office)}, place ${(alert.place as { name?: string } | null)?.name ?? 'unknown'}, status ${String(alert.status)}`,
    );
    for (const e of events) {
      const change = e.from || e.to ? ` ${e.from ?? '∅'} → ${e.to ?? '∅'}` : '';
      const data = e.data && Object.keys(e.data).length ? ` ${JSON.stringify(e.data)}` : '';
      console.log(
        `  +${((new Date(e.at).getTime() - first) / 1000).toFixed(1).padStart(5)} s  ${e.type.padEnd(18)} ${(e.actor ?? '').padEnd(20)}${change}${data}`,
      );
    }
    // 9. What the mission reports, as `npm run tamtam -- report response --by office` prints it.
    const { timezone } = app.deps.deployment;
    const month = monthOf(new Date(), timezone);
    console.log(`\n== 9. The response this month (npm run tamtam -- report response --from ${month.from} --to ${month.to} --by office)`);
    const report = await responseReport(app.deps.db, { ...month, timezone, by: ['office'] });
    console.log(responseTable(['office'], report.rows, report.total));
    console.log('\n== done: every step happened');
    return 0;
  } catch (error) {
    console.log(`\n== demo failed: ${(error as Error).message}`);
    return 1;
  } finally {
    say('demo', 'stopping Tamtam, the embedded PostgreSQL and the fakes');
    await app?.stop();
    await Promise.all([telegram.close(), sms.close()]);
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

process.exitCode = await main();
