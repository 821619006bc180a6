import { alertOfSentMessage } from '../../../db/cards.js';
import { bridgeToReporter } from '../../reporters/bridge.js';
import { tr, type OfficerTurn } from './context.js';

/**
 * Replying to an alert card sends the officer's words to the reporter, through Tamtam. Null when
 * the message replied to is not a card (then it is like any other message).
 */
export async function replyToCard(turn: OfficerTurn, card: { chatId: number; messageId: number }, text: string): Promise<string | null> {
  const alertId = await alertOfSentMessage(turn.deps.db, 'telegram', `${card.chatId}:${card.messageId}`);
  if (!alertId) return null;
  const result = await bridgeToReporter(turn.deps, { alert: { id: alertId }, officerId: turn.officer.id, text });
  const ref = 'alert' in result ? result.alert.ref : '?';
  if (result.outcome === 'bridged') return tr(turn, 'conversation.bridged', { pseudonym: result.pseudonym, ref });
  if (result.outcome === 'unreachable') return tr(turn, 'conversation.reporterOptedOut', { pseudonym: result.pseudonym ?? '—', ref });
  if (result.outcome === 'not_allowed') return tr(turn, 'reply.notAllowed', { ref });
  if (result.outcome === 'too_long') return tr(turn, 'conversation.tooLong', { ref, length: result.length, limit: result.limit });
  return tr(turn, 'reply.unknownAlert', { ref });
}
