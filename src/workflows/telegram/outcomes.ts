import { Composer } from 'grammy';
import { outcomeIds, type OutcomeId } from '../../domain/taxonomy.js';
import { actionReply } from '../officer-answers.js';
import { recordOutcomes } from '../outcomes.js';
import type { OfficerContext } from './context.js';

/**
 * The outcome buttons of a resolved alert's card: a press ticks or unticks what was done, and
 * every copy of the card is edited to show it.
 */
export const outcomes = new Composer<OfficerContext>();

outcomes.callbackQuery(/^out:([a-z_]+):([A-Z0-9]{5,8})$/, async (ctx) => {
  const outcome = ctx.match[1]! as OutcomeId;
  const ref = ctx.match[2]!;
  if (!outcomeIds.includes(outcome)) return ctx.answerCallbackQuery();
  const result = await recordOutcomes(ctx.deps, { alert: { ref }, officerId: ctx.officer.id, toggle: outcome });
  await ctx.answerCallbackQuery({ text: actionReply(ctx.deps, ctx.officer, ref, result), show_alert: result.outcome !== 'recorded' && result.outcome !== 'done' });
});
