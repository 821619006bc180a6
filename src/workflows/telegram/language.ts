import { Composer } from 'grammy';
import { setOfficerLanguage } from '../../db/offices.js';
import { tr, type OfficerContext } from './context.js';

/** /lang <code>: the officer's language for cards and replies. */
export function language(languages: string[]) {
  const feature = new Composer<OfficerContext>();
  feature.command('lang', async (ctx) => {
    const wanted = ctx.match.trim().toLowerCase();
    if (!languages.includes(wanted)) return ctx.reply(tr(ctx, 'telegram.langUnknown', { languages: languages.join(', ') }));
    await setOfficerLanguage(ctx.deps.db, ctx.officer.id, wanted);
    ctx.officer = { ...ctx.officer, language: wanted };
    return ctx.reply(tr(ctx, 'telegram.langSet'));
  });
  return feature;
}
