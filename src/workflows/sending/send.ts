import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { ChannelSendError, type ChannelName } from '../../channels/channel.js';
import { recordEvent } from '../../db/alerts.js';
import { insertOutbound, updateOutbound, type OutboundRow } from '../../db/outbox.js';
import { getOfficer } from '../../db/offices.js';
import { hasNewerEdit } from '../../db/cards.js';
import type { WorkflowDeps } from '../deps.js';
import { RecordNotFound, SendFailedForGood } from '../errors.js';
import { enqueueSends } from './pacing.js';
import { cardChangingEvents, editable, queueCardUpdates } from './card-updates.js';
import type { JobData } from '../queue/jobs.js';
import { memo } from '../../memo.js';

const isNotification = (row: OutboundRow) => row.purpose === 'card' || row.purpose === 'escalation';

/** When Telegram fails for good, an officer with a phone number gets the alert by SMS. */
async function fallBackToSms(deps: WorkflowDeps, row: OutboundRow): Promise<void> {
  if (row.channel !== 'telegram' || !isNotification(row) || !row.recipient.startsWith('officer:') || !deps.channels.has('sms')) return;
  const officer = await getOfficer(deps.db, row.recipient.slice('officer:'.length));
  if (!officer?.phone) return;
  const [ref] = row.actions?.[0]?.data.split(':').slice(1) ?? [];
  const queued = await insertOutbound(deps.db, [
    {
      alertId: row.alertId,
      channel: 'sms',
      recipient: row.recipient,
      toEnc: deps.pii.encrypt(officer.phone),
      purpose: row.purpose,
      body: ref ? `${row.body}\n${deps.t(officer.language, 'officer:card.smsHelp', { ref })}` : row.body,
      dedupeKey: `fallback:${row.id}`,
    },
  ]);
  await enqueueSends(deps, queued);
}

/**
 * A card that waited in the queue (a rate limit, a retry) may go out after an officer acknowledged
 * the alert or moved it to another office. The edits made then skipped this copy, which had no
 * message id yet; now that it has one, it is edited if it no longer reads as the alert does.
 * Looked at after the id is stored: a change committed later finds the id and edits it itself.
 * A failure is logged: it must not fail a send that went out.
 */
async function catchUpCard(deps: WorkflowDeps, row: OutboundRow): Promise<void> {
  if (!isNotification(row) || !row.alertId || !editable.includes(row.channel)) return;
  const alertId = row.alertId;
  try {
    if (await deps.outbox.hasEvent(alertId, cardChangingEvents)) await queueCardUpdates(deps, alertId, undefined, { copyId: row.id });
  } catch (error) {
    deps.log.warn({ outboundId: row.id, err: (error as Error).message }, 'could not check whether a sent card is out of date');
  }
}

/**
 * Delivers one outbound message through its channel and records the outcome before returning;
 * retried with backoff, final failure recorded. The row is read just before the send, so a message
 * sent or superseded meanwhile is not sent again; one the provider accepted but whose outcome
 * could not be recorded is recorded by the retry, not sent again (`accepted` in the job's data).
 */
async function deliver(job: Job<JobData<'send'>>, deps: WorkflowDeps, outboundId: number, open: (sealed: string) => string): Promise<string> {
  const row = await deps.outbox.get(outboundId);
  if (!row) throw new RecordNotFound('outbound message', [outboundId]);
  if (row.status !== 'queued') {
    // A retry after a crash between the send and its check: check now.
    if (row.providerMessageId) await catchUpCard(deps, row);
    // A retry after the failure was recorded but its SMS fallback was not (written once: its dedupe key).
    if (row.status === 'failed') await fallBackToSms(deps, row);
    return `already ${row.status}`;
  }
  if (await hasNewerEdit(deps.db, row)) {
    await updateOutbound(deps.db, row.id, { status: 'superseded' });
    return 'superseded';
  }
  const channel = deps.channels.get(row.channel as ChannelName);
  const attempt = row.attempts + 1;
  // Accepted by the provider on an earlier attempt whose outcome could not be recorded: record it.
  let providerMessageId = job.data.accepted?.[String(row.id)];
  if (providerMessageId === undefined) {
    try {
      if (!channel) throw new ChannelSendError(`channel ${row.channel} is not configured`, row.channel as ChannelName, true);
      const sent = await channel.send({
        id: row.id,
        to: open(row.toEnc),
        text: row.body,
        actions: row.actions ?? undefined,
        replaceProviderMessageId: row.editOf ?? undefined,
      });
      providerMessageId = sent.providerMessageId;
    } catch (error) {
      return failed(job, deps, row, attempt, error);
    }
  }
  const sentEvent = isNotification(row) ? 'notification_sent' : 'message_sent';
  try {
    await deps.outbox.recordOutcome({
      id: row.id,
      status: 'sent',
      providerMessageId,
      attempts: attempt,
      event: { type: sentEvent, data: { attempt } },
    });
  } catch (error) {
    // Sent but not recorded (PostgreSQL failed just then): not a failed send. The job keeps the
    // provider's id, so its retry records the message instead of sending it again.
    const accepted = { ...job.data.accepted, [String(row.id)]: providerMessageId };
    await job.updateData({ ...job.data, accepted }).catch(() => undefined);
    throw error;
  }
  // Outside the try: the message is sent and recorded whatever happens here.
  await catchUpCard(deps, row);
  return 'sent';
}

/** Records a failed send: retried with backoff, or failed for good (and an officer's card goes by SMS). */
async function failed(job: Job<JobData<'send'>>, deps: WorkflowDeps, row: OutboundRow, attempt: number, error: unknown): Promise<never> {
  const permanent = error instanceof ChannelSendError && error.permanent;
  const lastAttempt = attempt >= (job.opts.attempts ?? 1);
  const reason = (error as Error).message;
  if (permanent || lastAttempt) {
    const failedEvent = isNotification(row) ? 'notification_failed' : 'message_failed';
    await deps.outbox.recordOutcome({
      id: row.id,
      status: 'failed',
      attempts: attempt,
      error: reason,
      event: { type: failedEvent, data: { attempt, error: reason } },
    });
    await fallBackToSms(deps, row);
    throw new SendFailedForGood(row.id, row.channel, reason);
  }
  await deps.db.transaction(async (tx) => {
    await updateOutbound(tx, row.id, { attempts: attempt, error: reason });
    if (row.alertId) {
      const retryAfter = error instanceof ChannelSendError ? error.retryAfterSeconds : undefined;
      await recordEvent(tx, row.alertId, {
        type: 'send_retry',
        actor: 'system',
        data: { recipient: row.recipient, channel: row.channel, purpose: row.purpose, outboundId: row.id, attempt, error: reason, retryAfter },
      });
    }
  });
  deps.log.warn({ outboundId: row.id, channel: row.channel, attempt, err: reason }, 'send failed; will retry');
  throw error;
}

/**
 * The send job: delivers its messages (one, or several on a queue without a rate limit). Each is
 * read, sent and its outcome recorded before the next is sent (concurrent jobs still share those
 * statements, see src/db/batch.ts), so a
 * crash can leave at most one message of the job sent but not recorded (its retry sends that one
 * again: providers take no idempotency key). A message that can be retried fails the job, which is
 * retried with backoff; the messages already settled are left alone on the retry. The job fails
 * for good only when every one of its messages has.
 */
export async function sendStep(job: Job<JobData<'send'>>, deps: WorkflowDeps): Promise<string> {
  // Cards of one batch share each officer's sealed address (see createWarningAlerts): open it once.
  const open = memo((sealed) => deps.pii.decrypt(sealed));
  const settled: PromiseSettledResult<string>[] = [];
  for (const id of job.data.outboundIds) {
    settled.push(
      await deliver(job, deps, id, open).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      ),
    );
  }
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  const retryable = failures.find((e) => !(e instanceof UnrecoverableError));
  if (retryable) throw retryable;
  if (failures.length === settled.length) throw failures[0]!;
  const outcomes = settled.map((s) => (s.status === 'fulfilled' ? s.value : 'failed'));
  return outcomes.length === 1 ? outcomes[0]! : `${outcomes.filter((o) => o === 'sent').length} of ${outcomes.length} sent`;
}
