import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderEnv } from '../fakes/env.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { telegramTextUpdate } from '../fakes/sign.js';
import { alertRows, eventsOf } from '../helpers/alerts.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

const diallo = 111111;

describe('Telegram failing for good, and polling mode', () => {
  let telegram: FakeTelegram;
  let sms: FakeTwilio;
  let app: TestTamtam;
  beforeAll(async () => {
    telegram = await startFakeTelegram();
    sms = await startFakeTwilio();
    app = await startTestTamtam({
      backend: 'redis',
      deployment: testDeployment({ ackTimeout: '30m' }).replace(
        'role: officer, phone: "+22370000001"',
        `role: officer, telegramId: ${diallo}, phone: "+22370000001"`,
      ),
      env: {
        ...fakeProviderEnv({ telegram, sms }),
        TELEGRAM_MODE: 'polling',
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
    await sms?.close();
  });

  it('takes updates in by polling, and sends an officer the card by SMS when Telegram refuses it for good', async () => {
    telegram.blockChat(diallo);
    telegram.pushUpdate(telegramTextUpdate({ text: 'Des hommes armés ont brûlé des greniers à Mopti', fromId: 700000100 }));
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.text.includes('greniers') && a.status === 'notified'), {
      what: 'the alert from a polled update',
    });
    const card = await sms.waitForMessage((m) => m.to === '+22370000001' && m.body.includes(alert.ref), 15_000);
    expect(card.body).toContain(`Répondez OK ${alert.ref} pour prendre en charge`);
    expect(card.body).not.toContain('700000100');
    const events = await eventsOf(app, alert.id);
    expect(events.find((e) => e.type === 'notification_failed' && e.data.channel === 'telegram')?.data.error).toMatch(/blocked/);
    await eventually(async () => (await eventsOf(app, alert.id)).some((e) => e.type === 'notification_sent' && e.data.channel === 'sms'));
  });

  it('writes the SMS fallback on the retry when writing it failed just after the Telegram failure was recorded', async () => {
    // The fallback seals the officer's phone: that fails once, after the failure is recorded.
    const encrypt = app.deps.pii.encrypt.bind(app.deps.pii);
    let failedOnce = false;
    app.deps.pii.encrypt = (plain) => {
      if (plain === '+22370000001' && !failedOnce) {
        failedOnce = true;
        throw new Error('Connection terminated unexpectedly');
      }
      return encrypt(plain);
    };
    telegram.pushUpdate(telegramTextUpdate({ text: 'Des hommes armés ont volé du bétail à Mopti', fromId: 700000101 }));
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.text.includes('bétail') && a.status === 'notified'), {
      what: 'the alert',
    });
    const card = await sms.waitForMessage((m) => m.to === '+22370000001' && m.body.includes(alert.ref), 15_000);
    expect(failedOnce).toBe(true);
    expect(card.body).toContain(`Répondez OK ${alert.ref}`);
  });
});
