import type { Logger } from 'pino';
import type { Intake } from '../../channels/channel.js';
import type { Db } from '../../db/index.js';
import { batched } from '../../db/batch.js';
import { insertInbounds, type InboundInput } from '../../db/inbound.js';
import type { Pii } from '../../pii.js';
import { createFaultLog, type FaultLog } from '../../faults.js';
import type { IntakeJournal } from '../journal/intake-journal.js';
import { maxIdsPerJob } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import { sealInboundMeta } from './inbound-meta.js';
import { reporterAddress } from './senders.js';

type Persisted = { id: number | null; journaled?: boolean } | { error: Error };

/**
 * PostgreSQL stores no NUL character in text or jsonb, and jsonb no lone UTF-16 surrogate; a phone
 * that sends one must not have its warning refused (the provider would not deliver it again), so
 * NULs are dropped and lone surrogates become U+FFFD on the way in.
 */
function storable<T>(value: T): T {
  if (typeof value === 'string')
    return value.replaceAll('\u0000', '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd') as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v)])) as T;
  return value;
}

/**
 * The one door into Tamtam: persists the message (a redelivery changes nothing) and enqueues its
 * processing. Once this resolves, the webhook may acknowledge the provider; if the queue is down
 * the reconciler picks the message up from PostgreSQL.
 *
 * Messages arriving together (within one turn of the event loop, as concurrent webhook requests
 * do under load) share one INSERT and one inbound job, whose step takes them in together. A
 * message alone waits for nothing. If the shared INSERT fails, each message is inserted on its
 * own, so one unstorable message cannot take the others down with it.
 *
 * With a `journal`, messages that PostgreSQL cannot take because it is unreachable (not because of
 * what they are) are kept in the journal instead, and so are later ones until it is replayed.
 */
export function createIntake({
  db,
  pii,
  queues,
  log,
  journal,
  faults,
  enqueueTimeoutMs = 2_000,
}: {
  db: Db;
  pii: Pii;
  queues: Queues;
  log: Logger;
  journal?: IntakeJournal;
  enqueueTimeoutMs?: number;
  /** Where a queue that cannot take the job is reported (once per problem, until it answers again). */
  faults?: FaultLog;
}): Intake {
  const problems = faults ?? createFaultLog(log);
  const keep = (batch: InboundInput[], cause?: unknown): Promise<Persisted[]> =>
    journal!.keep(batch, cause).then(
      () => batch.map(() => ({ id: null, journaled: true })),
      (error: Error) => batch.map(() => ({ error })),
    );
  const persist = batched(async (batch: InboundInput[]): Promise<Persisted[]> => {
    if (journal?.active()) return keep(batch);
    let persisted: Persisted[];
    try {
      persisted = (await (journal ? journal.insert(batch) : insertInbounds(db, batch))).map((id) => ({ id }));
    } catch (error) {
      if (journal?.unreachable(error)) return keep(batch, error);
      if (batch.length === 1) return [{ error: error as Error }];
      // One by one, in order: of two copies of a message, the first is kept, as in the batch.
      persisted = [];
      for (const m of batch)
        persisted.push(
          await insertInbounds(db, [m]).then(
            ([id]) => ({ id: id ?? null }),
            (e: Error) => ({ error: e }),
          ),
        );
    }
    const inboundIds = persisted.flatMap((p) => ('id' in p && p.id !== null ? [p.id] : []));
    if (inboundIds.length > 0) {
      // The message is stored: the provider is answered even if the queue is down (ioredis would
      // hold the command until Redis is back, past Twilio's 15 s); the add lands when it can.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>(
        (_resolve, reject) => (timer = setTimeout(() => reject(new Error(`queue did not answer within ${enqueueTimeoutMs} ms`)), enqueueTimeoutMs)),
      );
      await Promise.race([queues.add('inbound', { inboundIds }), late])
        .catch((err: Error) => problems.fault('queue', 'intake (the reconciler will enqueue what it stored)', err))
        .finally(() => clearTimeout(timer));
    }
    return persisted;
  }, maxIdsPerJob);

  return async (message) => {
    const address = reporterAddress(message.channel, message.from);
    const persisted = await persist({
      channel: message.channel,
      providerMessageId: message.providerMessageId,
      fromHash: pii.hash(`${address.kind}:${address.value}`),
      fromEnc: pii.encrypt(message.from),
      text: storable(message.text),
      meta: sealInboundMeta(pii, storable(message.meta ?? {})),
      receivedAt: message.receivedAt,
    });
    if ('error' in persisted) throw persisted.error;
    return { duplicate: persisted.id === null && !persisted.journaled };
  };
}
