import type { FakeTelegram } from './telegram-api.js';
import type { FakeTwilio } from './twilio-api.js';

/**
 * The environment that points Tamtam's Telegram and Twilio channels at the fakes
 * (TELEGRAM_API_ROOT / TWILIO_API_BASE: the product's own settings, no test-only paths).
 */
export function fakeProviderEnv({
  telegram,
  sms,
  twilioFrom,
  webhookSecret,
}: {
  telegram?: FakeTelegram;
  sms?: FakeTwilio;
  /** The Twilio number Tamtam sends from. */
  twilioFrom?: string;
  /** Telegram webhook secret; omit for polling mode (set TELEGRAM_MODE yourself). */
  webhookSecret?: string;
}): Record<string, string> {
  return {
    ...(telegram ? { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot } : {}),
    ...(telegram && webhookSecret ? { TELEGRAM_WEBHOOK_SECRET: webhookSecret } : {}),
    ...(sms
      ? { TWILIO_ACCOUNT_SID: sms.accountSid, TWILIO_AUTH_TOKEN: sms.authToken, TWILIO_FROM: twilioFrom ?? '+22320000000', TWILIO_API_BASE: sms.url }
      : {}),
  };
}
