import { fakeProviderEnv } from '../fakes/env.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { freePort, startTestTamtam, testDeployment, type TestTamtam } from './tamtam.js';

/** Tamtam with both providers on (fake Bot API and fake Twilio), on a known port so PUBLIC_URL is right for Twilio signatures. */
export interface WithProviders {
  app: TestTamtam;
  telegram: FakeTelegram;
  sms: FakeTwilio;
  publicUrl: string;
  /** The Telegram webhook secret. */
  secret: string;
  stop(): Promise<void>;
}

export async function startWithFakeProviders({ secret = 'telegram-webhook-secret-1', twilioFrom = '+22320000000' } = {}): Promise<WithProviders> {
  const telegram = await startFakeTelegram();
  const sms = await startFakeTwilio();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const app = await startTestTamtam({
    backend: 'redis',
    deployment: testDeployment({ ackTimeout: '1h' }),
    env: { PORT: String(port), PUBLIC_URL: publicUrl, ...fakeProviderEnv({ telegram, sms, webhookSecret: secret, twilioFrom }) },
  });
  return {
    app,
    telegram,
    sms,
    publicUrl,
    secret,
    async stop() {
      await app.stop();
      await telegram.close();
      await sms.close();
    },
  };
}

/** Tamtam with Telegram on (a fake Bot API) and Twilio off, on the Redis backend unless told. */
export interface WithTelegram {
  app: TestTamtam;
  telegram: FakeTelegram;
  stop(): Promise<void>;
}

export async function startWithFakeTelegram({
  deployment,
  secret,
  backend = 'redis',
}: {
  deployment: string;
  secret: string;
  backend?: 'redis' | 'postgres';
}): Promise<WithTelegram> {
  const telegram = await startFakeTelegram();
  try {
    const app = await startTestTamtam({ backend, deployment, env: fakeProviderEnv({ telegram, webhookSecret: secret }) });
    return {
      app,
      telegram,
      async stop() {
        await app.stop();
        await telegram.close();
      },
    };
  } catch (error) {
    await telegram.close(); // else its keep-alive connections hold vitest open
    throw error;
  }
}
