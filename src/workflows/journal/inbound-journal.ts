import { mkdir, open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { InboundInput } from '../../db/inbound.js';
import type { Pii } from '../../pii.js';

/** How much the journal may hold (config `JOURNAL_MAX_BYTES`, `JOURNAL_MAX_AGE`). */
export interface JournalLimits {
  /** Total size of the journal's files, bytes. */
  maxBytes: number;
  /**
   * How long the oldest message may wait in the journal, ms: past it, the journal takes no more
   * (the database has been unreachable for too long for this process to keep answering "received";
   * the provider should try elsewhere or later). Messages already in it are kept and replayed.
   */
  maxAgeMs: number;
}

/** The journal cannot take a message (full, too old, or the disk refused it). */
export class JournalFullError extends Error {
  /** Answered by the HTTP server as 503 with this Retry-After. */
  readonly statusCode = 503;
  readonly retryAfterSeconds = 30;
  constructor(
    readonly reason: 'size' | 'age' | 'disk',
    detail: string,
  ) {
    super(`inbound messages cannot be stored now (${detail})`);
    this.name = 'JournalFullError';
  }
}

/** One journal file: written to until sealed, then replayed and deleted as a whole. */
export interface JournalSegment {
  readonly name: string;
  readonly records: InboundInput[];
  /** Deletes the file: every record in it is stored in PostgreSQL. */
  done(): Promise<void>;
}

interface Segment {
  name: string;
  bytes: number;
  records: number;
  /** When its first record was journaled (ms since epoch). */
  firstAt: number;
}

const segmentName = (seq: number) => `inbound-${String(seq).padStart(12, '0')}.jsonl`;
const segmentPattern = /^inbound-(\d{12})\.jsonl$/;

/**
 * An append-only journal of inbound messages under one directory, for when PostgreSQL cannot be
 * reached. Each line is `<journaled at, ms> <record>`, the record (the row the database would
 * hold, sender already hashed and encrypted) sealed whole with the PII key, so no address, name
 * or text is readable on disk. Appends are group-committed: the records of every call made while
 * the previous write was in flight are written together, then one `fdatasync`, then every caller
 * is answered. The replayer takes whole files, oldest first; new arrivals go to a fresh file.
 */
export class InboundJournal {
  private sealed: Segment[] = [];
  private current: (Segment & { handle: FileHandle }) | null = null;
  private nextSeq = 1;
  private pending: { lines: Buffer; count: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> | null = null;
  private refusing: JournalFullError['reason'] | null = null;

  private constructor(
    readonly dir: string,
    private readonly limits: JournalLimits,
    private readonly pii: Pii,
    private readonly log: Logger,
  ) {}

  /** Opens (creating) the journal directory and finds the files a previous run left. */
  static async open({ dir, limits, pii, log }: { dir: string; limits: JournalLimits; pii: Pii; log: Logger }): Promise<InboundJournal> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const journal = new InboundJournal(dir, limits, pii, log);
    for (const name of (await readdir(dir)).filter((n) => segmentPattern.test(n)).sort()) {
      const bytes = (await stat(path.join(dir, name))).size;
      const text = await readFile(path.join(dir, name), 'utf8');
      const firstAt = Number(text.slice(0, text.indexOf(' '))) || Date.now();
      journal.sealed.push({ name, bytes, records: text.split('\n').filter(Boolean).length, firstAt });
      journal.nextSeq = Number(segmentPattern.exec(name)![1]) + 1;
    }
    return journal;
  }

  /** Messages waiting (written or being written). */
  get size(): number {
    return this.sealed.reduce((n, s) => n + s.records, 0) + (this.current?.records ?? 0) + this.pending.reduce((n, p) => n + p.count, 0);
  }

  /** Bytes on disk and about to be. */
  get bytes(): number {
    return this.sealed.reduce((n, s) => n + s.bytes, 0) + (this.current?.bytes ?? 0) + this.pendingBytes;
  }

  /** True when nothing is in the journal or on its way in. */
  isEmpty(): boolean {
    return this.size === 0 && this.writing === null;
  }

  /** Appends records and resolves once they are on disk (fsynced); rejects with {@link JournalFullError}. */
  append(records: InboundInput[], now = Date.now()): Promise<void> {
    const at = String(now);
    const lines = Buffer.from(records.map((r) => `${at} ${this.pii.encrypt(JSON.stringify(r))}\n`).join(''), 'utf8');
    const oldest = this.sealed[0]?.firstAt ?? this.current?.firstAt ?? null;
    const refusal =
      this.bytes + lines.length > this.limits.maxBytes
        ? new JournalFullError('size', `journal full: ${this.bytes} of ${this.limits.maxBytes} bytes`)
        : oldest !== null && now - oldest > this.limits.maxAgeMs
          ? new JournalFullError(
              'age',
              `journal full: its oldest message has waited ${Math.round((now - oldest) / 1000)} s, the limit is ${Math.round(this.limits.maxAgeMs / 1000)} s`,
            )
          : null;
    if (refusal) return Promise.reject(this.refuse(refusal));
    if (this.refusing) {
      this.log.info({ component: 'journal', dir: this.dir }, 'journal accepts inbound messages again');
      this.refusing = null;
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ lines, count: records.length, resolve, reject });
      this.pendingBytes += lines.length;
      if (!this.writing) this.writing = this.flush();
    });
  }

  /** One clear log line when the journal starts refusing, not one per message. */
  private refuse(error: JournalFullError): JournalFullError {
    if (this.refusing !== error.reason) {
      this.log.error(
        { component: 'journal', dir: this.dir, reason: error.reason, messages: this.size, bytes: this.bytes, maxBytes: this.limits.maxBytes },
        `${error.message}: refusing inbound messages (webhooks answer 503)`,
      );
      this.refusing = error.reason;
    }
    return error;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      const lines = Buffer.concat(batch.map((p) => p.lines));
      const count = batch.reduce((n, p) => n + p.count, 0);
      try {
        await this.write(lines, count);
        for (const p of batch) p.resolve();
      } catch (error) {
        const refusal = this.refuse(new JournalFullError('disk', `journal not writable: ${(error as Error).message}`));
        for (const p of batch) p.reject(refusal);
      }
    }
    this.writing = null;
  }

  private async write(lines: Buffer, count: number): Promise<void> {
    if (!this.current) {
      const name = segmentName(this.nextSeq++);
      const handle = await open(path.join(this.dir, name), 'a', 0o600);
      this.current = { name, bytes: 0, records: 0, firstAt: Date.now(), handle };
      await this.syncDir(); // the new file's name is durable too
    }
    const segment = this.current;
    try {
      for (let offset = 0; offset < lines.length; ) offset += (await segment.handle.write(lines, offset)).bytesWritten;
      await segment.handle.datasync();
    } catch (error) {
      // Leave no partial line behind, and start a fresh file for the next write.
      await segment.handle.truncate(segment.bytes).catch(() => {});
      await this.seal();
      throw error;
    }
    segment.bytes += lines.length;
    segment.records += count;
  }

  private async syncDir(): Promise<void> {
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** Closes the file being written to: the next append starts a new one. */
  private async seal(): Promise<void> {
    const segment = this.current;
    if (!segment) return;
    this.current = null;
    await segment.handle.close().catch(() => {});
    if (segment.records > 0) this.sealed.push({ name: segment.name, bytes: segment.bytes, records: segment.records, firstAt: segment.firstAt });
    else await unlink(path.join(this.dir, segment.name)).catch(() => {});
  }

  /**
   * The oldest file's records, in the order they arrived; null when the journal is empty. The file
   * being written to is sealed first (after its writes in flight), so records arriving meanwhile
   * go to the next file. A line that cannot be read (a write torn by a crash before it was
   * acknowledged) is skipped and counted in the log.
   */
  async oldest(): Promise<JournalSegment | null> {
    while (this.sealed.length === 0) {
      if (this.writing) await this.writing;
      else if (this.current) await this.seal();
      else return null;
    }
    const segment = this.sealed[0]!;
    const file = path.join(this.dir, segment.name);
    const records: InboundInput[] = [];
    let unreadable = 0;
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!line) continue;
      try {
        const record = JSON.parse(this.pii.decrypt(line.slice(line.indexOf(' ') + 1))) as InboundInput & { receivedAt: string };
        records.push({ ...record, receivedAt: new Date(record.receivedAt) });
      } catch {
        unreadable++;
      }
    }
    if (unreadable > 0)
      this.log.warn({ component: 'journal', file: segment.name, unreadable }, 'journal lines that cannot be read were skipped (a write cut short)');
    return {
      name: segment.name,
      records,
      done: async () => {
        await unlink(file).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
        await this.syncDir();
        this.sealed = this.sealed.filter((s) => s !== segment);
      },
    };
  }

  /** Finishes writes in flight and closes the file; what is in the journal stays for the next start. */
  async close(): Promise<void> {
    while (this.writing) await this.writing;
    await this.seal();
  }
}
