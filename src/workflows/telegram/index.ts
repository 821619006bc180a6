import { Composer, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { OfficerRow } from '../../db/offices.js';
import type { WorkflowDeps } from '../deps.js';
import { buttons } from './buttons.js';
import { commands } from './commands.js';
import { tr, type OfficerContext } from './context.js';
import { language } from './language.js';
import { login } from './login.js';
import { openAlerts } from './open-alerts.js';
import { outcomes } from './outcomes.js';
import { reply } from './reply.js';
import { report } from './report.js';
import { start } from './start.js';

/** Runs one officer's Telegram update through the officer features (in a worker). */
export type OfficerUpdateHandler = (update: Update, officer: OfficerRow) => Promise<void>;

/**
 * Installs the officer features on the bot, each a Composer, inside an error boundary, with the
 * handler for anything else (the help text) last.
 */
export async function createOfficerUpdateHandler(bot: Bot, deps: WorkflowDeps, languages: string[]): Promise<OfficerUpdateHandler> {
  const pending = new Map<number, OfficerRow>();
  const features = new Composer<OfficerContext>(start, login, openAlerts, report, language(languages), buttons, outcomes, reply, commands);
  features.on('callback_query', (ctx) => ctx.answerCallbackQuery());
  features.on('message', (ctx) => ctx.reply(tr(ctx, 'telegram.help')));
  const officerBot = bot as unknown as Bot<OfficerContext>;
  officerBot.use(async (ctx, next) => {
    const officer = pending.get(ctx.update.update_id);
    if (!officer) return; // not an officer's update handed over by the inbound step
    Object.assign(ctx, { officer, deps });
    await next();
  });
  officerBot.errorBoundary((error) => {
    deps.log.error({ err: error.error instanceof Error ? error.error.message : String(error.error), updateId: error.ctx.update.update_id }, 'Telegram officer feature failed');
    throw error.error; // the inbound job fails and is retried
  }, features);
  await bot.init();
  return async (update, officer) => {
    pending.set(update.update_id, officer);
    try {
      await bot.handleUpdate(update);
    } finally {
      pending.delete(update.update_id);
    }
  };
}
