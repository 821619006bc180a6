import { Composer } from 'grammy';
import { actOnAlert, officerActions, type OfficerAction } from '../actions.js';
import { tr, type OfficerContext } from './context.js';

const buttonAction: Record<string, OfficerAction> = { ack: 'acknowledge', responding: 'responding', resolve: 'resolve', dismiss: 'dismiss', escalate: 'escalate' };

/**
 * The card's buttons. The status change edits every copy of the card (actOnAlert); the presser is
 * told the outcome, including who was first when someone else already acted.
 */
export const buttons = new Composer<OfficerContext>();

buttons.callbackQuery(/^(ack|responding|resolve|dismiss|escalate):([A-Z0-9]{5,8})$/, async (ctx) => {
  const action = buttonAction[ctx.match[1]!]!;
  const ref = ctx.match[2]!;
  if (!officerActions.includes(action)) return ctx.answerCallbackQuery();
  const result = await actOnAlert(ctx.deps, { alert: { ref }, officerId: ctx.officer.id, action });
  const t = (key: string, vars: Record<string, unknown> = {}) => tr(ctx, key, { ref, ...vars });
  let text: string;
  switch (result.outcome) {
    case 'done':
      text = t(`reply.${action === 'escalate' ? 'escalated' : result.alert.status}`);
      break;
    case 'not_allowed':
      text = t('reply.notAllowed');
      break;
    case 'too_late':
      text = t('reply.alreadyTaken', { status: ctx.deps.t(ctx.officer.language, `common:status.${result.alert.status}`), officer: result.by?.name ?? '—' });
      break;
    default:
      text = t('reply.unknownAlert');
  }
  await ctx.answerCallbackQuery({ text, show_alert: result.outcome !== 'done' });
});
