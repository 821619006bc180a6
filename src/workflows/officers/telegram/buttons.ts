import { actOnAlert, type OfficerAction } from '../actions.js';
import { tr, type ButtonAnswer, type OfficerTurn } from './context.js';
import { pressOutcomeButton } from './outcome-buttons.js';
import { pressCorrectionButton, type PressedCard } from './correction-buttons.js';
import { splitReport } from '../../alerts/split.js';
import { splitReply } from '../messages.js';

const buttonAction: Record<string, OfficerAction> = {
  ack: 'acknowledge',
  responding: 'responding',
  resolve: 'resolve',
  dismiss: 'dismiss',
  escalate: 'escalate',
};

/**
 * A card's button (`ack:A7K3Q`, …). The status change edits every copy of the card (actOnAlert);
 * the presser is told the outcome, including who was first when someone else already acted.
 * Outcome buttons and the correction keyboard (`fix:…`, on the pressed `card`) have files of their own.
 */
export async function pressButton(turn: OfficerTurn, data: string, card: PressedCard | null = null): Promise<ButtonAnswer> {
  // `split:<ref>:m<message id>` (a report's button), or `split:<ref>:<n>` (buttons sent before).
  const split = /^split:([A-Z0-9]{5,8}):(m?)(\d{1,15})$/.exec(data);
  if (split) {
    const report = split[2] ? { inboundId: Number(split[3]) } : { n: Number(split[3]) };
    const result = await splitReport(turn.deps, { ref: split[1]!, officerId: turn.officer.id, ...report });
    return { text: splitReply(turn.deps, turn.officer, split[1]!, result), alert: result.outcome !== 'done' };
  }
  const match = /^(ack|responding|resolve|dismiss|escalate):([A-Z0-9]{5,8})$/.exec(data);
  if (!match) return (await pressOutcomeButton(turn, data)) ?? (await pressCorrectionButton(turn, data, card)) ?? { alert: false };
  const action = buttonAction[match[1]!]!;
  const ref = match[2]!;
  const result = await actOnAlert(turn.deps, { alert: { ref }, officerId: turn.officer.id, action });
  const t = (key: string, vars: Record<string, unknown> = {}) => tr(turn, key, { ref, ...vars });
  switch (result.outcome) {
    case 'done':
      return { text: t(`reply.${action === 'escalate' ? 'escalated' : result.alert.status}`), alert: false };
    case 'not_allowed':
      return { text: t('reply.notAllowed'), alert: true };
    case 'no_further_level':
      return { text: t('reply.noFurtherLevel'), alert: true };
    case 'too_late':
      return {
        text: t('reply.alreadyTaken', {
          status: turn.deps.t(turn.officer.language, `common:status.${result.alert.status}`),
          officer: result.by?.name ?? '—',
        }),
        alert: true,
      };
    default:
      return { text: t('reply.unknownAlert'), alert: true };
  }
}
