import { Composer } from 'grammy';
import { alertOfSentMessage } from '../../db/cards.js';
import { bridgeToReporter } from '../actions.js';
import { tr, type OfficerContext } from './context.js';

/** Replying to an alert card sends the officer's words to the reporter, through Tamtam. */
export const reply = new Composer<OfficerContext>();

reply.on('message:text').filter(
  (ctx) => ctx.message.reply_to_message !== undefined,
  async (ctx, next) => {
    const providerId = `${ctx.chat.id}:${ctx.message.reply_to_message!.message_id}`;
    const alertId = await alertOfSentMessage(ctx.deps.db, 'telegram', providerId);
    if (!alertId) return next();
    const result = await bridgeToReporter(ctx.deps, { alert: { id: alertId }, officerId: ctx.officer.id, text: ctx.message.text });
    const ref = 'alert' in result ? result.alert.ref : '?';
    if (result.outcome === 'bridged') return ctx.reply(tr(ctx, 'conversation.bridged', { pseudonym: result.pseudonym, ref }));
    if (result.outcome === 'unreachable') return ctx.reply(tr(ctx, 'conversation.reporterOptedOut', { pseudonym: result.pseudonym ?? '—', ref }));
    if (result.outcome === 'not_allowed') return ctx.reply(tr(ctx, 'reply.notAllowed', { ref }));
    return ctx.reply(tr(ctx, 'reply.unknownAlert', { ref }));
  },
);
