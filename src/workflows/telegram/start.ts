import { Composer } from 'grammy';
import { getOffice } from '../../db/offices.js';
import { tr, type OfficerContext } from './context.js';

/** /start: greets the officer in their language and says which office they serve. */
export const start = new Composer<OfficerContext>();

start.command('start', async (ctx) => {
  const office = await getOffice(ctx.deps.db, ctx.officer.officeId);
  await ctx.reply(tr(ctx, 'telegram.welcome', { name: ctx.officer.name, office: office?.name ?? ctx.officer.officeId }));
});
