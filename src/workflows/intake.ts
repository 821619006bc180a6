import type { Logger } from 'pino';
import type { Intake } from '../channels/channel.js';
import type { Db } from '../db/index.js';
import { insertInbound } from '../db/messages.js';
import type { Pii } from '../pii.js';
import type { Queues } from './queues.js';
import { reporterAddress } from './steps/inbound.js';

/**
 * The one door into Tamtam: persists the message (a redelivery changes nothing) and enqueues its
 * processing. Once this resolves, the webhook may acknowledge the provider; if the queue is down
 * the reconciler picks the message up from PostgreSQL.
 */
export function createIntake({ db, pii, queues, log }: { db: Db; pii: Pii; queues: Queues; log: Logger }): Intake {
  return async (message) => {
    const address = reporterAddress(message.channel, message.from);
    const inboundId = await insertInbound(db, {
      channel: message.channel,
      providerMessageId: message.providerMessageId,
      fromHash: pii.hash(`${address.kind}:${address.value}`),
      fromEnc: pii.encrypt(message.from),
      text: message.text,
      meta: message.meta ?? {},
      receivedAt: message.receivedAt,
    });
    if (inboundId === null) return { duplicate: true };
    await queues.add('inbound', { inboundId }).catch((err: Error) => {
      log.warn({ inboundId, err: err.message }, 'could not enqueue inbound message; the reconciler will');
    });
    return { duplicate: false };
  };
}
