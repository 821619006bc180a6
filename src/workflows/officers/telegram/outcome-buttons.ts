import { outcomeIds, type OutcomeId } from '../../../domain/taxonomy.js';
import { actionReply } from '../messages.js';
import { recordOutcomes } from '../outcomes.js';
import type { ButtonAnswer, OfficerTurn } from './context.js';

/**
 * The outcome buttons of a resolved alert's card (`out:patrol:A7K3Q`, …): a press ticks or
 * unticks what was done, and every copy of the card is edited to show it. Null for other buttons.
 */
export async function pressOutcomeButton(turn: OfficerTurn, data: string): Promise<ButtonAnswer | null> {
  const match = /^out:([a-z_]+):([A-Z0-9]{5,8})$/.exec(data);
  if (!match || !(outcomeIds as readonly string[]).includes(match[1]!)) return null;
  const ref = match[2]!;
  const result = await recordOutcomes(turn.deps, { alert: { ref }, officerId: turn.officer.id, toggle: match[1] as OutcomeId });
  return { text: actionReply(turn.deps, turn.officer, ref, result), alert: result.outcome !== 'recorded' && result.outcome !== 'done' };
}
