/**
 * Run as a child process by `fakes-exit.test.ts`: uses both fakes through the real clients (with
 * their keep-alive agents), leaves a long poll pending, closes the fakes and then simply returns.
 * The process must exit by itself; if a socket were left open it would hang.
 */
import { Bot } from 'grammy';
import { createTwilioClient } from '../../src/channels/twilio-client.js';
import { startFakeTelegram } from './telegram-api.js';
import { startFakeTwilio } from './twilio-api.js';

const telegram = await startFakeTelegram({ maxLongPollMs: 60_000 });
const twilioFake = await startFakeTwilio();
const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
const sms = createTwilioClient({ accountSid: twilioFake.accountSid, authToken: twilioFake.authToken, apiBase: twilioFake.url });

await bot.api.sendMessage(111111, 'keep-alive 1');
await bot.api.sendMessage(111111, 'keep-alive 2');
await sms.messages.create({ to: '+22376000001', from: '+22370000099', body: 'keep-alive' });
const pending = bot.api.getUpdates({ timeout: 50 }).catch(() => []);
await telegram.waitForCall('getUpdates');

await Promise.all([telegram.close(), twilioFake.close()]);
await pending;
process.stdout.write('closed\n');
