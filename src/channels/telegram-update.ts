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
