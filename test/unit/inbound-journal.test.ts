import { appendFile, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { InboundInput } from '../../src/db/inbound.js';
import { createPii } from '../../src/pii.js';
import { InboundJournal, JournalFullError, type JournalLimits } from '../../src/workflows/journal/inbound-journal.js';

const pii = createPii(Buffer.alloc(32, 3).toString('base64'));
const message = (n: number): InboundInput => ({
  channel: 'sms',
  providerMessageId: `SM${n}`,
  fromHash: pii.hash(`phone:+2237600${n}`),
  fromEnc: pii.encrypt(`+2237600${n}`),
  text: `Hommes armés à Mopti (${n})`,
  meta: {},
  receivedAt: new Date(Date.UTC(2026, 11, 1, 5, 0, n)),
});
const messages = Array.from({ length: 6 }, (_, n) => message(n));
/** The same message each time (encryption is randomised). */
const sms = (n: number) => messages[n]!;

async function openJournal(limits: Partial<JournalLimits> = {}, dir?: string) {
  const lines: { level: number; msg: string; reason?: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  dir ??= path.join(await mkdtemp(path.join(tmpdir(), 'tamtam-journal-')), 'journal');
  const journal = await InboundJournal.open({ dir, limits: { maxBytes: 1024 ** 2, maxAgeMs: 3_600_000, ...limits }, pii, log });
  return { journal, lines, dir };
}

describe('the inbound journal', () => {
  it('gives back what was appended, in order, from one file per replay, and keeps nothing in clear', async () => {
    const { journal, dir } = await openJournal();
    await Promise.all([journal.append([sms(1)]), journal.append([sms(2), sms(3)])]);
    await journal.append([sms(4)]);
    expect(journal.size).toBe(4);
    const text = (await Promise.all((await readdir(dir)).map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
    expect(text).not.toMatch(/2237600|Mopti|SM1/);

    const first = await journal.oldest();
    await journal.append([sms(5)]); // arrives during the replay: goes to the next file
    expect(first!.records).toEqual([sms(1), sms(2), sms(3), sms(4)]);
    await first!.done();
    const second = await journal.oldest();
    expect(second!.records).toEqual([sms(5)]);
    await second!.done();
    expect(await journal.oldest()).toBeNull();
    expect(journal.isEmpty()).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps its files across a restart and skips a line cut short by a crash', async () => {
    const { journal, dir } = await openJournal();
    await journal.append([sms(1), sms(2)]);
    await journal.close();
    const [file] = await readdir(dir);
    await appendFile(path.join(dir, file!), `${Date.now()} v1:AAAA`); // a torn write: no newline, not decryptable
    const { journal: reopened, lines } = await openJournal({}, dir);
    expect(reopened.isEmpty()).toBe(false);
    await reopened.append([sms(3)]);
    const segment = await reopened.oldest();
    expect(segment!.records).toEqual([sms(1), sms(2)]);
    expect(lines.filter((l) => l.msg.startsWith('journal lines that cannot be read'))).toHaveLength(1);
    await segment!.done();
    expect((await reopened.oldest())!.records).toEqual([sms(3)]);
  });

  it('refuses when full, with one log line, and accepts again once replayed', async () => {
    const probe = (await openJournal()).journal;
    await probe.append([sms(1)]);
    const maxBytes = Math.floor(probe.bytes * 2.5); // room for two messages
    const { journal, lines } = await openJournal({ maxBytes });
    await journal.append([sms(1)]);
    await journal.append([sms(2)]);
    const refusals = await Promise.allSettled([journal.append([sms(3)]), journal.append([sms(4)]), journal.append([sms(5)])]);
    expect(refusals.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const error = (refusals[0] as PromiseRejectedResult).reason as JournalFullError;
    expect(error).toBeInstanceOf(JournalFullError);
    expect(error).toMatchObject({ reason: 'size', statusCode: 503, retryAfterSeconds: 30 });
    const full = lines.filter((l) => l.level === 50);
    expect(full).toEqual([
      expect.objectContaining({
        reason: 'size',
        msg: `inbound messages cannot be stored now (journal full: ${journal.bytes} of ${maxBytes} bytes): refusing inbound messages (webhooks answer 503)`,
      }),
    ]);
    expect(journal.size).toBe(2);

    await (await journal.oldest())!.done();
    await journal.append([sms(3)]);
    expect(lines.filter((l) => l.msg === 'journal accepts inbound messages again')).toHaveLength(1);
  });

  it('refuses once its oldest message has waited longer than the age limit, keeping what it holds', async () => {
    const { journal } = await openJournal({ maxAgeMs: 60_000 });
    const start = Date.now();
    await journal.append([sms(1)], start);
    await journal.append([sms(2)], start + 59_000);
    await expect(journal.append([sms(3)], start + 61_000)).rejects.toMatchObject({ reason: 'age' });
    expect((await journal.oldest())!.records).toEqual([sms(1), sms(2)]);
  });
});
