import type { Tx } from '../../db/index.js';
import { markInboundProcessed, type InboundRow } from '../../db/inbound.js';
import { insertOutbound, type QueuedOutbound } from '../../db/outbox.js';
import type { WorkflowDeps } from '../deps.js';
import { enqueueSends } from '../sending/pacing.js';

/**
 * Marks the message processed and queues a reply to its sender, with `more` (the messages it
 * causes), in one transaction; then enqueues the sends. A message already processed (by a
 * concurrent run) writes nothing; `more` throwing rolls everything back.
 */
export async function finish(
  deps: WorkflowDeps,
  message: InboundRow,
  outcome: { outcome: string; alertId?: number; focalPointId?: number },
  reply: { recipient: string; body: string; alertId?: number } | null,
  more?: (tx: Tx) => Promise<QueuedOutbound[]>,
): Promise<void> {
  const queued = await deps.db.transaction(async (tx) => {
    if (!(await markInboundProcessed(tx, message.id, outcome))) return [];
    const extra = more ? await more(tx) : [];
    const replies = reply
      ? await insertOutbound(tx, [
          {
            alertId: reply.alertId ?? null,
            channel: message.channel,
            recipient: reply.recipient,
            toEnc: message.fromEnc,
            purpose: 'reply',
            body: reply.body,
            dedupeKey: `reply:${message.id}`,
          },
        ])
      : [];
    return [...extra, ...replies];
  });
  await enqueueSends(deps, queued);
}
