import type { Job } from 'bullmq';
import type { Update } from 'grammy/types';
import { readTelegramUpdate } from '../../channels/telegram-update.js';
import { parkInbound, type InboundRow } from '../../db/inbound.js';
import type { Pii } from '../../pii.js';
import { isDatabaseUnreachable } from '../../db/unreachable.js';
import type { WorkflowDeps } from '../deps.js';
import { inboundMeta } from './inbound-meta.js';
import { EarlierMessagePending, ProcessedConcurrently, ReporterAlertsChanging, UnprocessableMessage } from '../errors.js';

/**
 * The Telegram update stored with a message, checked again as the webhook checks it: a message
 * stored before that check existed (or taken in some other way) may hold what the officer features
 * cannot read (a `text` of 3.5), and would fail on every attempt.
 */
export function storedUpdate(pii: Pii, message: InboundRow): Update | undefined {
  if (message.channel !== 'telegram') return undefined;
  const read = readStoredUpdate(pii, message);
  if ('error' in read) throw new UnprocessableMessage(message.id, `not a readable Telegram update: ${read.error}`);
  return read.update;
}

/** A Telegram message's stored update, opened and checked; the first problem in one line when it cannot be read. */
export function readStoredUpdate(pii: Pii, message: InboundRow): ReturnType<typeof readTelegramUpdate> {
  let meta: Record<string, unknown>;
  try {
    meta = inboundMeta(pii, message);
  } catch {
    return { error: 'meta: cannot be opened with this PII_KEY' };
  }
  return readTelegramUpdate(meta.update);
}

/** SQLSTATEs of a conflict with another transaction: serialization failure, deadlock, lock not available. */
const conflictState = /^(40001|40P01|55P03)$/;
/** What ioredis says when Redis cannot be reached (the queue, while the database answers). */
const queueUnreachable = /Connection is closed|max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT/i;

/**
 * True when `error` says "not now" rather than "not this message": the database or the queue
 * unreachable or overloaded, a conflict with another transaction, a sender's alerts changing under
 * it. Such a failure is never a reason to park a message, however long it lasts: once its job's
 * attempts are spent, the reconciler takes it again (with backoff) until it goes through.
 */
export function isTransientFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof EarlierMessagePending || error instanceof ReporterAlertsChanging || error instanceof ProcessedConcurrently) return true;
  if (isDatabaseUnreachable(error)) return true;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string' && conflictState.test(code)) return true;
  if (typeof message === 'string' && queueUnreachable.test(message)) return true;
  return isTransientFailure(cause, depth + 1);
}

/**
 * A message that failed: parked when no attempt can process it: at once for UnprocessableMessage
 * (an unreadable update), and after the job's last attempt for any other failure that is not
 * transient (poison input: a sender that cannot be decrypted, a bug this message always meets).
 * A transient failure (an outage of 17 minutes or more, see isTransientFailure) leaves it
 * unprocessed: the reconciler takes it again. Parked = neither BullMQ nor the reconciler starts
 * it again; an admin can (POST /api/inbound/unprocessable/:id/retry). Returns the error the job
 * should see: UnprocessableMessage once parked, else the error itself. The parking is logged
 * once, in one line, by the run that parked it.
 */
export async function parkIfHopeless(job: Job, deps: WorkflowDeps, message: InboundRow, error: Error): Promise<Error> {
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (!(error instanceof UnprocessableMessage) && (!lastAttempt || isTransientFailure(error))) return error;
  const reason = error instanceof UnprocessableMessage ? error.reason : `failed on every attempt (${job.attemptsMade + 1}): ${error.message}`;
  if (await parkInbound(deps.db, message.id, reason)) {
    deps.log.error({ inboundId: message.id, channel: message.channel, reason }, 'inbound message unprocessable: parked, not retried');
  }
  return error instanceof UnprocessableMessage ? error : new UnprocessableMessage(message.id, reason);
}
