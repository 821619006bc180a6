import { createHash, timingSafeEqual } from 'node:crypto';
import { Bot, GrammyError, HttpError } from 'grammy';
import type { InlineKeyboardButton, Update } from 'grammy/types';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ChannelSendError, type Channel, type InboundMessage, type Intake, type OutgoingMessage } from './channel.js';
import { keptUpdate, readTelegramUpdate } from './telegram-update.js';

/** Telegram settings, from TELEGRAM_* (README, "Telegram"). */
export interface TelegramConfig {
  botToken: string;
  webhookSecret?: string;
  apiRoot: string;
  mode: 'webhook' | 'polling';
}

/** Inline keyboard: two buttons a row. */
function keyboard(actions: OutgoingMessage['actions']): { inline_keyboard: InlineKeyboardButton[][] } | undefined {
  if (!actions?.length) return undefined;
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < actions.length; i += 2) rows.push(actions.slice(i, i + 2).map((a) => ({ text: a.label, callback_data: a.data })));
  return { inline_keyboard: rows };
}

/** Provider id of a sent message: `<chat id>:<message id>` (message ids are per chat). */
export const telegramMessageId = (chatId: number | string, messageId: number) => `${chatId}:${messageId}`;

function sendError(error: unknown): ChannelSendError {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) return new ChannelSendError(error.description, 'telegram', false, error.parameters.retry_after ?? 1);
    // 400 (bad request, chat not found) and 403 (blocked, kicked) will not get better by retrying.
    const permanent = error.error_code >= 400 && error.error_code < 500;
    return new ChannelSendError(`${error.method}: ${error.description}`, 'telegram', permanent);
  }
  if (error instanceof HttpError) return new ChannelSendError(`network: ${error.message}`, 'telegram', false);
  return new ChannelSendError((error as Error).message, 'telegram', false);
}

/** Turns an update into an inbound message; null for kinds Tamtam does not handle. */
export function inboundFromUpdate(update: Update): InboundMessage | null {
  const message = update.message ?? update.edited_message;
  const base = { channel: 'telegram' as const, providerMessageId: String(update.update_id), meta: { update: keptUpdate(update) } };
  if (message?.from && (message.text ?? message.caption)) {
    return { ...base, from: String(message.from.id), text: (message.text ?? message.caption)!, receivedAt: new Date(message.date * 1000) };
  }
  if (update.callback_query) {
    return { ...base, from: String(update.callback_query.from.id), text: update.callback_query.data ?? '', receivedAt: new Date() };
  }
  return null;
}

export function createTelegramChannel({ config, log, publicUrl }: { config: TelegramConfig; log: Logger; publicUrl: string }): Channel {
  const bot = new Bot(config.botToken, { client: { apiRoot: config.apiRoot } });
  let poller: Bot | undefined;
  const secret = config.webhookSecret ? createHash('sha256').update(config.webhookSecret).digest() : null;
  const secretMatches = (given: unknown) =>
    secret !== null && typeof given === 'string' && timingSafeEqual(createHash('sha256').update(given).digest(), secret);

  /** Polling mode: fetch updates and hand each to the intake (persisted before the offset moves on). */
  function startPolling(intake: Intake) {
    // A bot of its own for getUpdates; the main one only calls the Bot API.
    poller = new Bot(config.botToken, { client: { apiRoot: config.apiRoot } });
    poller.on(['message', 'edited_message', 'callback_query'], async (ctx) => {
      const read = readTelegramUpdate(ctx.update);
      if ('error' in read) return log.warn({ updateId: ctx.update.update_id, reason: read.error }, 'Telegram polling: unreadable update skipped');
      const message = inboundFromUpdate(read.update);
      if (message) await intake(message);
    });
    poller.catch((err) => log.error({ err: err.message }, 'Telegram polling: update not taken in'));
    void poller
      .start({ onStart: () => log.info('Telegram polling started') })
      .catch((err: Error) => log.error({ err: err.message }, 'Telegram polling stopped'));
  }

  return {
    name: 'telegram',
    async send(message) {
      const reply_markup = keyboard(message.actions);
      try {
        if (message.replaceProviderMessageId) {
          const [chatId, messageId] = message.replaceProviderMessageId.split(':');
          await bot.api.editMessageText(Number(chatId), Number(messageId), message.text, { reply_markup: reply_markup ?? { inline_keyboard: [] } });
          return { providerMessageId: message.replaceProviderMessageId };
        }
        const chatId = /^-?\d+$/.test(message.to) ? Number(message.to) : message.to;
        const sent = await bot.api.sendMessage(chatId, message.text, { reply_markup });
        return { providerMessageId: telegramMessageId(sent.chat.id, sent.message_id) };
      } catch (error) {
        // Editing a card to the text it already has is not a failure.
        if (error instanceof GrammyError && /message is not modified/i.test(error.description))
          return { providerMessageId: message.replaceProviderMessageId! };
        throw sendError(error);
      }
    },
    registerRoutes(app: FastifyInstance, intake: Intake) {
      app.post('/webhooks/telegram', async (request, reply) => {
        if (!secretMatches(request.headers['x-telegram-bot-api-secret-token'])) {
          log.warn({ ip: request.ip }, 'refused Telegram webhook: missing or wrong secret token');
          return reply.code(401).send({ error: 'missing or wrong X-Telegram-Bot-Api-Secret-Token' });
        }
        const read = readTelegramUpdate(request.body);
        if ('error' in read) return reply.code(400).send({ error: `not a Telegram update: ${read.error}` });
        const message = inboundFromUpdate(read.update);
        if (message) await intake(message);
        return reply.send({ ok: true });
      });
    },
    async start(intake) {
      if (config.mode === 'polling') startPolling(intake);
      else await registerWebhook(bot, config, publicUrl, log);
    },
    async answerButton(pressId, text, { alert }) {
      await bot.api.answerCallbackQuery(pressId, text === undefined ? undefined : { text, show_alert: alert });
    },
    async reply(chat, text, options) {
      const reply_markup = options?.forceReply ? { force_reply: true as const } : undefined;
      await bot.api.sendMessage(/^-?\d+$/.test(chat) ? Number(chat) : chat, text, { reply_markup });
    },
    async editButtons(providerMessageId, actions) {
      const [chatId, messageId] = providerMessageId.split(':');
      try {
        await bot.api.editMessageReplyMarkup(Number(chatId), Number(messageId), { reply_markup: keyboard(actions) ?? { inline_keyboard: [] } });
      } catch (error) {
        if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return;
        throw sendError(error);
      }
    },
    async close() {
      if (poller?.isRunning()) await poller.stop();
    },
  };
}

/** Tells Telegram where to deliver updates (PUBLIC_URL), with the secret it must send back. */
async function registerWebhook(bot: Bot, config: TelegramConfig, publicUrl: string, log: Logger): Promise<void> {
  const url = `${publicUrl}/webhooks/telegram`;
  try {
    await bot.api.setWebhook(url, { secret_token: config.webhookSecret, allowed_updates: ['message', 'edited_message', 'callback_query'] });
    log.info({ url }, 'Telegram webhook set');
  } catch (error) {
    // Not fatal: Telegram may be unreachable for a while; updates wait on Telegram's side.
    log.error({ url, err: (error as Error).message }, 'could not set the Telegram webhook');
  }
}
