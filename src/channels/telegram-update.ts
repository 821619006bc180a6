import type { Update } from 'grammy/types';
import { z } from 'zod';

/**
 * The parts of a Telegram update Tamtam reads, checked at the edge (webhook and polling) and again
 * by the inbound step before an officer's update reaches the officer features. Unknown fields pass
 * through untouched; a field Tamtam reads with the wrong type refuses the whole update.
 */
const int = z.number().int().safe();
const user = z.object({ id: int }).passthrough();
const chat = z.object({ id: int, type: z.string().max(32) }).passthrough();
/** Telegram dates are Unix seconds in 32 bits. */
const unixTime = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);
const message = z
  .object({
    message_id: int,
    from: user.optional(),
    chat,
    date: unixTime,
    text: z.string().optional(),
    caption: z.string().optional(),
    reply_to_message: z.object({ message_id: int, chat: chat.optional(), text: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
const callbackQuery = z
  .object({
    id: z.string().min(1).max(256),
    from: user,
    data: z.string().max(256).optional(),
    message: z.object({ message_id: int, chat: chat.optional(), date: int.optional(), text: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

export const telegramUpdateSchema = z
  .object({
    update_id: int.nonnegative(),
    message: message.optional(),
    edited_message: message.optional(),
    callback_query: callbackQuery.optional(),
  })
  .passthrough();

/** The update if Tamtam can read it, else the first problem in one line (`message.date: …`). */
export function readTelegramUpdate(body: unknown): { update: Update } | { error: string } {
  const parsed = telegramUpdateSchema.safeParse(body);
  if (parsed.success) return { update: parsed.data as unknown as Update };
  const issue = parsed.error.issues[0]!;
  return { error: `${issue.path.join('.') || 'body'}: ${issue.message}` };
}

type Message = NonNullable<Update['message']>;

/** A chat as kept: its id and type (private, group…), never its title, name or username. */
const keptChat = (chat: { id: number; type: string }) => ({ id: chat.id, type: chat.type });

function keptMessage(message: Message): Message {
  const reply = message.reply_to_message;
  return {
    message_id: message.message_id,
    date: message.date,
    chat: keptChat(message.chat),
    ...(message.from ? { from: { id: message.from.id, is_bot: message.from.is_bot } } : {}),
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.caption !== undefined ? { caption: message.caption } : {}),
    ...(message.entities ? { entities: message.entities.filter((e) => e.type === 'bot_command') } : {}),
    ...(reply
      ? {
          reply_to_message: {
            message_id: reply.message_id,
            date: reply.date,
            ...(reply.chat ? { chat: keptChat(reply.chat) } : {}),
            ...(reply.text !== undefined ? { text: reply.text } : {}),
          },
        }
      : {}),
  } as Message;
}

/**
 * What Tamtam keeps of an update: the fields above that it reads, and nothing of a sender's first
 * or last name, username, phone number (a shared contact), location or photos. A focal point's
 * identity is kept only sealed (PII_KEY); the kept update is sealed too (`sealInboundMeta`).
 */
export function keptUpdate(update: Update): Update {
  const query = update.callback_query;
  return {
    update_id: update.update_id,
    ...(update.message ? { message: keptMessage(update.message) } : {}),
    ...(update.edited_message ? { edited_message: keptMessage(update.edited_message) } : {}),
    ...(query
      ? {
          callback_query: {
            id: query.id,
            from: { id: query.from.id, is_bot: query.from.is_bot },
            chat_instance: query.chat_instance,
            ...(query.data !== undefined ? { data: query.data } : {}),
            ...(query.message
              ? {
                  message: {
                    message_id: query.message.message_id,
                    date: query.message.date,
                    ...(query.message.chat ? { chat: keptChat(query.message.chat) } : {}),
                    ...('text' in query.message && query.message.text !== undefined ? { text: query.message.text } : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
  } as Update;
}
