import { Composer } from 'grammy';
import { monthlySummaryFor } from '../weekly-digest.js';
import type { OfficerContext } from './context.js';

/** /report: this month's response figures, for the officer's office (every office for the JOC and admin). */
export const report = new Composer<OfficerContext>();

report.command('report', async (ctx) => ctx.reply(await monthlySummaryFor(ctx.deps, ctx.officer, ctx.deps.now())));
