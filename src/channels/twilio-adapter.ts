import { optional, url, withoutTrailingSlash } from '../environment.js';
import { channelAdapter } from './channel.js';
import type { TwilioConfig } from './twilio.js';

/** SMS through Twilio: on when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set. */
export const twilioAdapter = channelAdapter({
  channel: 'sms',
  env: {
    TWILIO_ACCOUNT_SID: optional.refine((v) => v === undefined || /^AC[0-9a-fA-F]{32}$/.test(v), {
      message: 'must be AC followed by 32 hex digits',
    }),
    TWILIO_AUTH_TOKEN: optional,
    TWILIO_FROM: optional,
    TWILIO_MESSAGING_SERVICE_SID: optional,
    TWILIO_API_BASE: url(['http:', 'https:']),
  },
  settings: (env): TwilioConfig | undefined =>
    env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
      ? {
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          from: env.TWILIO_FROM,
          messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
          apiBase: withoutTrailingSlash(env.TWILIO_API_BASE ?? 'https://api.twilio.com'),
        }
      : undefined,
  check(env, report) {
    if ((env.TWILIO_ACCOUNT_SID ?? env.TWILIO_AUTH_TOKEN ?? env.TWILIO_FROM ?? env.TWILIO_MESSAGING_SERVICE_SID) === undefined) return;
    if (!env.TWILIO_ACCOUNT_SID) report('TWILIO_ACCOUNT_SID', 'is required when Twilio is configured');
    if (!env.TWILIO_AUTH_TOKEN) report('TWILIO_AUTH_TOKEN', 'is required when Twilio is configured');
    if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID)
      report('TWILIO_FROM', 'or TWILIO_MESSAGING_SERVICE_SID is required when Twilio is configured');
  },
  // Twilio's library is loaded only by a process that turns SMS on (the command line never does).
  create: async (config, { publicUrl, db, log }) => (await import('./twilio.js')).createTwilioChannel({ config, publicUrl, db, log }),
});
