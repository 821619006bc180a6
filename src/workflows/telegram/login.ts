import { Composer } from 'grammy';
import { loginLinkMessage } from '../login-link.js';
import type { OfficerContext } from './context.js';

/** /login: a one-time link to the operations room, only in a private chat with the bot (never in a group). */
export const login = new Composer<OfficerContext>();

login.command('login', async (ctx) => {
  if (ctx.chat.type !== 'private') return ctx.reply(ctx.deps.t(ctx.officer.language, 'web:login.privateOnly'));
  return ctx.reply(await loginLinkMessage(ctx.deps, ctx.officer), { link_preview_options: { is_disabled: true } });
});
