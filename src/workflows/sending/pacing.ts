import type { ChannelName } from '../../channels/channel.js';
import { reserveSendSlots, type QueuedOutbound } from '../../db/outbox.js';
import type { WorkflowDeps } from '../deps.js';
import { isRateLimited } from '../queue/jobs.js';
import type { NewJob } from '../queue/queues.js';

/** Telegram's per-chat limits: about 1 message/s to a person, 20/min to a group. */
export function telegramSpacingMs(recipient: string): number {
  return recipient.startsWith('office:') ? 3_000 : 1_000;
}

/** Messages one send job carries on a channel queue without a rate limit (a provider's limit counts jobs). */
export const sendsPerJob = 50;

/**
 * Enqueues the send jobs of new outbound messages. Telegram messages wait for their chat's next
 * free slot (reserved for all of them in one statement), so bursts (an escalation, card edits)
 * stay within Telegram's per-chat limits. On a channel whose queue has no rate limit (the
 * simulator), messages due now share send jobs. `alsoAdd` are other jobs to add in the same
 * round trip (escalation timers).
 */
export async function enqueueSends(deps: Pick<WorkflowDeps, 'db' | 'queues'>, messages: QueuedOutbound[], alsoAdd: NewJob[] = []): Promise<void> {
  if (messages.length === 0 && alsoAdd.length === 0) return;
  const chatOf = (m: QueuedOutbound) => `telegram:${m.recipient}`;
  const perChat = new Map<string, { count: number; spacingMs: number }>();
  for (const m of messages.filter((m) => m.channel === 'telegram')) {
    const entry = perChat.get(chatOf(m)) ?? { count: 0, spacingMs: telegramSpacingMs(m.recipient) };
    entry.count++;
    perChat.set(chatOf(m), entry);
  }
  const slots = await reserveSendSlots(
    deps.db,
    [...perChat].map(([chat, r]) => ({ chat, ...r })),
  );
  const jobs: NewJob[] = [];
  const shared = new Map<ChannelName, number[]>();
  for (const m of messages) {
    const channel = m.channel as ChannelName;
    if (channel === 'telegram') {
      const delay = Math.max(0, slots.get(chatOf(m))!.shift()!.getTime() - Date.now());
      jobs.push({ name: 'send', data: { outboundIds: [m.id], channel }, options: delay > 0 ? { delay } : {} });
    } else if (isRateLimited(channel)) {
      jobs.push({ name: 'send', data: { outboundIds: [m.id], channel } });
    } else {
      shared.set(channel, [...(shared.get(channel) ?? []), m.id]);
    }
  }
  for (const [channel, ids] of shared) {
    for (let i = 0; i < ids.length; i += sendsPerJob) jobs.push({ name: 'send', data: { outboundIds: ids.slice(i, i + sendsPerJob), channel } });
  }
  await deps.queues.addMany([...jobs, ...alsoAdd]);
}
