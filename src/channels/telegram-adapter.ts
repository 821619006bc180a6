import { z } from 'zod';
import { optional, url, withoutTrailingSlash } from '../environment.js';
import { channelAdapter } from './channel.js';
import type { TelegramConfig } from './telegram.js';

/** Telegram through grammY: on when TELEGRAM_BOT_TOKEN is set. */
export const telegramAdapter = channelAdapter({
  channel: 'telegram',
  env: {
    TELEGRAM_BOT_TOKEN: optional.refine((v) => v === undefined || /^\d+:[\w-]{20,}$/.test(v), {
      message: 'must look like 123456:ABC… (the token BotFather gave)',
    }),
    TELEGRAM_WEBHOOK_SECRET: optional.refine((v) => v === undefined || /^[\w-]{1,256}$/.test(v), {
      message: 'may contain only A-Z, a-z, 0-9, _ and - (1–256 characters)',
    }),
    TELEGRAM_API_ROOT: url(['http:', 'https:']),
    TELEGRAM_MODE: optional.pipe(z.enum(['webhook', 'polling']).optional()),
  },
  settings: (env): TelegramConfig | undefined =>
    env.TELEGRAM_BOT_TOKEN
      ? {
          botToken: env.TELEGRAM_BOT_TOKEN,
          webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
          apiRoot: withoutTrailingSlash(env.TELEGRAM_API_ROOT ?? 'https://api.telegram.org'),
          mode: env.TELEGRAM_MODE ?? 'webhook',
        }
      : undefined,
  check(env, report) {
    if (env.TELEGRAM_BOT_TOKEN && (env.TELEGRAM_MODE ?? 'webhook') === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET)
      report('TELEGRAM_WEBHOOK_SECRET', 'is required with TELEGRAM_BOT_TOKEN in webhook mode');
  },
  // grammY is loaded only by a process that turns Telegram on (the command line never does).
  create: async (config, { log, publicUrl }) => (await import('./telegram.js')).createTelegramChannel({ config, log, publicUrl }),
});
