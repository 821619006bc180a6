import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { ChannelSendError, type ChannelName } from '../../channels/channel.js';
import { getOutbound, recordSendOutcome, updateOutbound } from '../../db/messages.js';
import type { WorkflowDeps } from '../deps.js';
import type { JobData } from '../jobs.js';

/** Delivers one outbound message through its channel; retried with backoff, final failure recorded. */
export async function sendStep(job: Job<JobData<'send'>>, deps: WorkflowDeps): Promise<string> {
  const row = await getOutbound(deps.db, job.data.outboundId);
  if (!row) throw new UnrecoverableError(`outbound message ${job.data.outboundId} not found`);
  if (row.status !== 'queued') return `already ${row.status}`;
  const channel = deps.channels.get(row.channel as ChannelName);
  const attempt = row.attempts + 1;
  try {
    if (!channel) throw new ChannelSendError(`channel ${row.channel} is not configured`, row.channel as ChannelName, true);
    const sent = await channel.send({ id: row.id, to: deps.pii.decrypt(row.toEnc), text: row.body, actions: row.actions ?? undefined });
    const sentEvent = row.purpose === 'card' || row.purpose === 'escalation' ? 'notification_sent' : 'message_sent';
    await recordSendOutcome(deps.db, row.id, { status: 'sent', providerMessageId: sent.providerMessageId, attempts: attempt }, { type: sentEvent, data: { attempt } });
    return 'sent';
  } catch (error) {
    const permanent = error instanceof ChannelSendError && error.permanent;
    const lastAttempt = attempt >= (job.opts.attempts ?? 1);
    const reason = (error as Error).message;
    if (permanent || lastAttempt) {
      const failedEvent = row.purpose === 'card' || row.purpose === 'escalation' ? 'notification_failed' : 'message_failed';
      await recordSendOutcome(deps.db, row.id, { status: 'failed', attempts: attempt, error: reason }, { type: failedEvent, data: { attempt, error: reason } });
      throw new UnrecoverableError(reason);
    }
    await updateOutbound(deps.db, row.id, { attempts: attempt, error: reason });
    deps.log.warn({ outboundId: row.id, channel: row.channel, attempt, err: reason }, 'send failed; will retry');
    throw error;
  }
}
