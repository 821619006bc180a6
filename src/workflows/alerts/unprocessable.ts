import type { Job } from 'bullmq';
import type { Update } from 'grammy/types';
import { readTelegramUpdate } from '../../channels/telegram-update.js';
import { parkInbound, type InboundRow } from '../../db/inbound.js';
import type { WorkflowDeps } from '../deps.js';
import { EarlierMessagePending, UnprocessableMessage } from '../errors.js';

/**
 * The Telegram update stored with a message, checked again as the webhook checks it: a message
 * stored before that check existed (or taken in some other way) may hold what the officer features
 * cannot read (a `text` of 3.5), and would fail on every attempt.
 */
export function storedUpdate(message: InboundRow): Update | undefined {
  if (message.channel !== 'telegram') return undefined;
  const read = readTelegramUpdate(message.meta.update);
  if ('error' in read) throw new UnprocessableMessage(message.id, `not a readable Telegram update: ${read.error}`);
  return read.update;
}

/** True when the stored update cannot be read (the message is handled on its own, and parked). */
export const unreadableUpdate = (message: InboundRow) => message.channel === 'telegram' && 'error' in readTelegramUpdate(message.meta.update);

/**
 * A message that failed: parked when no attempt can process it (UnprocessableMessage) or when
 * this was the job's last attempt, so neither BullMQ nor the reconciler starts it again. A message
 * waiting for its sender's earlier one is never parked (that one is processed or parked in time).
 * Returns the error the job should see: UnprocessableMessage once parked, else the error itself.
 * The parking is logged once, in one line, by the run that parked it.
 */
export async function parkIfHopeless(job: Job, deps: WorkflowDeps, message: InboundRow, error: Error): Promise<Error> {
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (!(error instanceof UnprocessableMessage) && (!lastAttempt || error instanceof EarlierMessagePending)) return error;
  const reason = error instanceof UnprocessableMessage ? error.reason : `failed on every attempt (${job.attemptsMade + 1}): ${error.message}`;
  if (await parkInbound(deps.db, message.id, reason)) {
    deps.log.error({ inboundId: message.id, channel: message.channel, reason }, 'inbound message unprocessable: parked, not retried');
  }
  return error instanceof UnprocessableMessage ? error : new UnprocessableMessage(message.id, reason);
}
