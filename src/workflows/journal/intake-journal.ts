import type { Logger } from 'pino';
import type { Db } from '../../db/index.js';
import { insertInbounds, type InboundInput } from '../../db/inbound.js';
import { isDatabaseUnreachable, withinTime } from '../../db/unreachable.js';
import { maxIdsPerJob } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { InboundJournal } from './inbound-journal.js';

/**
 * What the intake asks of the journal (see src/workflows/intake.ts): store messages there while
 * PostgreSQL cannot be reached, and move them into PostgreSQL once it answers again.
 */
export interface IntakeJournal {
  /** True while messages wait in the journal: later arrivals queue behind them, in arrival order. */
  active(): boolean;
  /** Inserts into PostgreSQL, failing with a timeout error if it does not answer in time. */
  insert(batch: InboundInput[]): Promise<(number | null)[]>;
  /** Whether an error from {@link insert} means "PostgreSQL unreachable" (journal) rather than "this message cannot be stored". */
  unreachable(error: unknown): boolean;
  /** Keeps messages in the journal (resolves once fsynced; rejects when the journal is full) and makes sure they are replayed. */
  keep(batch: InboundInput[], cause?: unknown): Promise<void>;
  /** Stops replaying; what is left stays in the journal for the next start. */
  close(): Promise<void>;
}

export interface IntakeJournalOptions {
  db: Db;
  queues: Queues;
  journal: InboundJournal;
  log: Logger;
  /** How long an INSERT may take before PostgreSQL counts as unreachable (ms). Default 5,000: Twilio gives up on a webhook after 15 s. */
  insertTimeoutMs?: number;
  /** Waits between attempts to reach PostgreSQL while replaying (ms), the last one repeating. Default 250, 500, 1,000, 2,000. */
  retryDelaysMs?: number[];
}

/**
 * The journal side of the intake, and its replayer. The replayer takes the journal's files oldest
 * first, inserts their messages in order (in batches: a redelivery or a message stored just before
 * the database went away is ignored by provider id), enqueues one `inbound` job per batch and then
 * deletes the file; while PostgreSQL does not answer it waits and tries again. It logs one line
 * when journaling starts and one when the journal is empty again, not one per message.
 */
export function createIntakeJournal({
  db,
  queues,
  journal,
  log,
  insertTimeoutMs = 5_000,
  retryDelaysMs = [250, 500, 1_000, 2_000],
}: IntakeJournalOptions): IntakeJournal {
  const jlog = log.child({ component: 'journal' });
  let replaying: Promise<void> | null = null;
  let closed = false;
  let wake: (() => void) | null = null;
  /** Whether this outage was logged: once, until PostgreSQL answers again. */
  let warned = false;
  const insert = (batch: InboundInput[]) =>
    withinTime(insertInbounds(db, batch), insertTimeoutMs).then((ids) => {
      warned = false;
      return ids;
    });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

  /** Inserts a batch, waiting as long as PostgreSQL is unreachable; a message it refuses for what it is is logged and left out. */
  async function store(batch: InboundInput[]): Promise<number[]> {
    for (let attempt = 0; !closed; attempt++) {
      try {
        return (await insert(batch)).filter((id): id is number => id !== null);
      } catch (error) {
        if (!isDatabaseUnreachable(error)) return storeOneByOne(batch);
        await sleep(retryDelaysMs[Math.min(attempt, retryDelaysMs.length - 1)]!);
      }
    }
    throw new Error('journal closed');
  }

  async function storeOneByOne(batch: InboundInput[]): Promise<number[]> {
    const ids: number[] = [];
    for (const message of batch) {
      try {
        ids.push(...(await store([message])));
      } catch (error) {
        if (closed) throw error;
        jlog.error(
          { channel: message.channel, providerMessageId: message.providerMessageId, err: (error as Error).message },
          'a journaled message cannot be stored in PostgreSQL: dropped',
        );
      }
    }
    return ids;
  }

  async function replay(): Promise<void> {
    const started = Date.now();
    let taken = 0;
    let replayed = 0;
    let enqueueFailed = 0;
    while (!closed) {
      const segment = await journal.oldest();
      if (!segment) {
        if (journal.isEmpty()) break; // checked and left in one step: no arrival can slip in between
        continue;
      }
      taken += segment.records.length;
      for (let i = 0; i < segment.records.length && !closed; i += maxIdsPerJob) {
        const inboundIds = await store(segment.records.slice(i, i + maxIdsPerJob));
        if (inboundIds.length === 0) continue;
        // A queue that is down is not a reason to keep them: they are in PostgreSQL, the reconciler will enqueue them.
        await queues.add('inbound', { inboundIds }).catch(() => (enqueueFailed += inboundIds.length));
        replayed += inboundIds.length;
      }
      if (!closed) await segment.done();
    }
    if (closed || taken === 0) return;
    if (enqueueFailed > 0) jlog.warn({ messages: enqueueFailed }, 'could not enqueue replayed messages; the reconciler will');
    jlog.info(
      { messages: taken, stored: replayed, seconds: Math.round((Date.now() - started) / 100) / 10 },
      'database reachable: journaled inbound messages replayed',
    );
  }

  function startReplay(): void {
    if (replaying || closed) return;
    replaying = replay()
      .catch((error: Error) => {
        if (!closed) jlog.error({ err: error.message }, 'journal replay stopped; it resumes with the next journaled message or start');
      })
      .finally(() => {
        replaying = null;
      });
  }

  if (!journal.isEmpty()) {
    jlog.info({ messages: journal.size, dir: journal.dir }, 'replaying inbound messages journaled before the last stop');
    startReplay();
  }

  return {
    active: () => replaying !== null || !journal.isEmpty(),
    insert,
    unreachable: isDatabaseUnreachable,
    async keep(batch, cause) {
      const appended = journal.append(batch);
      if (!warned && cause !== undefined) jlog.warn({ err: (cause as Error).message }, 'database unreachable: journaling inbound messages');
      if (cause !== undefined) warned = true;
      startReplay();
      await appended;
    },
    async close() {
      closed = true;
      wake?.();
      await replaying;
      await journal.close();
    },
  };
}
