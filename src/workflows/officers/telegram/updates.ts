import type { Message, Update } from 'grammy/types';
import type { OfficerRow } from '../../../db/offices.js';
import type { ChannelName } from '../../../channels/channel.js';
import type { WorkflowDeps } from '../../deps.js';
import { pressButton } from './buttons.js';
import { placeAsked } from './correction-buttons.js';
import { tr, type OfficerTurn } from './context.js';
import { language } from './language.js';
import { openAlerts } from './open-alerts.js';
import { replyToCard } from './reply.js';
import { start } from './start.js';
import { monthlySummaryFor } from '../../response/weekly-digest.js';
import { answerOfficerText } from '../messages.js';
import { answerCorrection } from '../correction-replies.js';
import { parseOfficerCommand } from '../commands.js';
import { loginLinkMessage } from '../login-link.js';

/**
 * The officer features' view of the Telegram channel: answering the officer (the button's answer,
 * a reply, this copy's buttons) comes after the action has committed, so a failure there (a 429,
 * a press too old to answer, the network) is logged and not thrown. Thrown, it would retry the
 * inbound job and run the action again: an outcome ticked twice is unticked, a reply sent twice.
 * The alert's cards are edited through the outbox, which retries on its own.
 */
function answeringOnce(deps: WorkflowDeps): WorkflowDeps {
  const telegram = deps.channels.get('telegram');
  if (!telegram) return deps;
  const logged =
    <A extends unknown[]>(what: string, call: ((...args: A) => Promise<void>) | undefined) =>
    async (...args: A) => {
      try {
        await call?.(...args);
      } catch (error) {
        deps.log.warn({ err: (error as Error).message, call: what }, 'Telegram: could not answer an officer (the action stands)');
      }
    };
  const answering = {
    ...telegram,
    ...(telegram.answerButton && { answerButton: logged('answerCallbackQuery', telegram.answerButton.bind(telegram)) }),
    ...(telegram.reply && { reply: logged('sendMessage', telegram.reply.bind(telegram)) }),
    ...(telegram.editButtons && { editButtons: logged('editMessageReplyMarkup', telegram.editButtons.bind(telegram)) }),
  };
  const channels = {
    get: (name: ChannelName) => (name === 'telegram' ? answering : deps.channels.get(name)),
    has: (name: ChannelName) => deps.channels.has(name),
    list: () => deps.channels.list(),
  };
  return { ...deps, channels };
}

/** A leading `/command` (Telegram marks it with a bot_command entity), and the text after it. */
function commandOf(message: Message): { name: string; rest: string } | null {
  const text = message.text ?? '';
  const entity = message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!entity) return null;
  return { name: text.slice(1, entity.length).split('@')[0]!.toLowerCase(), rest: text.slice(entity.length).trim() };
}

/** The answer to an officer's message: a command's, a reply bridged to a reporter, else the help text. */
async function answerMessage(turn: OfficerTurn, message: Message, languages: string[]): Promise<string> {
  const command = commandOf(message);
  if (command?.name === 'start') return start(turn);
  if (command?.name === 'alerts') return openAlerts(turn);
  if (command?.name === 'lang') return language(turn, command.rest, languages);
  // A sign-in link goes only to a private chat, never to a group where others would see it.
  if (command?.name === 'login')
    return message.chat.type === 'private' ? loginLinkMessage(turn.deps, turn.officer) : turn.deps.t(turn.officer.language, 'web:login.privateOnly');
  if (command?.name === 'report') return monthlySummaryFor(turn.deps, turn.officer, turn.deps.now());
  // The place typed in answer to the correction keyboard's *Type it*.
  const asked = message.text !== undefined ? placeAsked(message.reply_to_message?.text) : null;
  if (asked) return answerCorrection(turn.deps, turn.officer, { action: 'correct', ref: asked, field: 'place', value: message.text! });
  if (message.text !== undefined && message.reply_to_message) {
    const bridged = await replyToCard(turn, { chatId: message.chat.id, messageId: message.reply_to_message.message_id }, message.text);
    if (bridged !== null) return bridged;
  }
  // The SMS commands typed to the bot (FIN A7K3Q patrouille, DOUBLON …, NOTE …) are answered as by SMS.
  if (message.text !== undefined && !message.reply_to_message && parseOfficerCommand(message.text))
    return answerOfficerText(turn.deps, turn.officer, message.text);
  return tr(turn, 'telegram.help');
}

/**
 * An officer's Telegram update, handed over by the inbound step: a card's button, a command
 * (/start, /alerts, /lang, /report, /login), an SMS command typed to the bot, a reply to a card, or anything else (the help text). Answered in
 * Telegram at once (answerCallbackQuery, sendMessage), not through the outbox. A failure to answer
 * is logged (answeringOnce); a failure of the action itself is logged and thrown: the inbound job
 * is retried.
 */
export async function handleOfficerUpdate(base: WorkflowDeps, update: Update, officer: OfficerRow, languages: string[]): Promise<void> {
  const deps = answeringOnce(base);
  const telegram = deps.channels.get('telegram');
  if (!telegram?.answerButton || !telegram.reply) return;
  const turn: OfficerTurn = { deps, officer };
  try {
    if (update.callback_query) {
      const pressed = update.callback_query.message;
      // The edge lets a pressed message without its chat through (an inline message): no card to edit then.
      const card = pressed && (pressed.chat as typeof pressed.chat | undefined) ? { chatId: pressed.chat.id, messageId: pressed.message_id } : null;
      const answer = await pressButton(turn, update.callback_query.data ?? '', card);
      await telegram.answerButton(update.callback_query.id, answer.text, { alert: answer.alert });
    } else if (update.message) {
      await telegram.reply(String(update.message.chat.id), await answerMessage(turn, update.message, languages));
    }
  } catch (error) {
    deps.log.error({ err: (error as Error).message, updateId: update.update_id }, 'Telegram officer feature failed');
    throw error;
  }
}
