import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/index.js';
import { insertInbounds } from '../../src/db/inbound.js';
import { DatabaseTimeoutError, isDatabaseUnreachable, withinTime } from '../../src/db/unreachable.js';
import { useFreshDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/tamtam.js';

/** An error as pg reports it from the server: a SQLSTATE code. */
const serverError = (code: string, message = 'error') => Object.assign(new pg.DatabaseError(message, 0, 'error'), { code });

describe('database unreachable, or this message cannot be stored', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['refused on every address', new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })])],
    ['connection lost', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['dead client', new Error('Client has encountered a connection error and is not queryable')],
    ['too many clients', serverError('53300', 'sorry, too many clients already')],
    ['disk full', serverError('53100', 'could not extend file')],
    ['shutting down', serverError('57P01', 'terminating connection due to administrator command')],
    ['starting up', serverError('57P03', 'the database system is starting up')],
    ['no answer in time', new DatabaseTimeoutError(5000)],
    [
      'wrapped by drizzle',
      Object.assign(new Error('Failed query: insert …'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
    ],
  ])('%s: unreachable', (_what, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it.each([
    ['unique violation', serverError('23505')],
    ['value too long', serverError('22001')],
    ['invalid text (NUL)', serverError('22021')],
    ['syntax', serverError('42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
  ])('%s: not unreachable', (_what, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });

  it('times out a statement that gets no answer', async () => {
    await expect(withinTime(new Promise(() => {}), 20)).rejects.toBeInstanceOf(DatabaseTimeoutError);
    await expect(withinTime(Promise.resolve(1), 20)).resolves.toBe(1);
  });

  describe('against real PostgreSQL', () => {
    const database = useFreshDatabase();
    it('a refused connection is unreachable; a data error is not', async () => {
      const nobody = connectDatabase(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`, { max: 1 });
      const refused = await insertInbounds(nobody.db, [
        { channel: 'sms', providerMessageId: 'SM1', fromHash: 'h', fromEnc: 'e', text: 't', meta: {}, receivedAt: new Date() },
      ]).catch((e: unknown) => e);
      await nobody.close();
      expect(isDatabaseUnreachable(refused)).toBe(true);
      const bad = await insertInbounds(database().db, [
        { channel: 'sms', providerMessageId: 'SM2', fromHash: 'h', fromEnc: 'e', text: 'a\u0000b', meta: {}, receivedAt: new Date() },
      ]).catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: '22021' }); // PostgreSQL stores no NUL in text
      expect(isDatabaseUnreachable(bad)).toBe(false);
    });
  });
});

describe('journal bounds in the configuration', () => {
  it('defaults to 256 MiB and 24 hours, and reads sizes with units and durations', () => {
    expect(loadConfig({}).journal).toEqual({ maxBytes: 256 * 1024 ** 2, maxAgeMs: 24 * 3_600_000 });
    expect(loadConfig({ JOURNAL_MAX_BYTES: '64MiB', JOURNAL_MAX_AGE: '2h' }).journal).toEqual({ maxBytes: 64 * 1024 ** 2, maxAgeMs: 2 * 3_600_000 });
    expect(loadConfig({ JOURNAL_MAX_BYTES: '1000000' }).journal.maxBytes).toBe(1_000_000);
  });
  it('refuses what it cannot read, one line each', () => {
    const problems = (() => {
      try {
        loadConfig({ JOURNAL_MAX_BYTES: 'lots', JOURNAL_MAX_AGE: 'forever' });
      } catch (error) {
        return (error as ConfigError).problems;
      }
    })();
    expect(problems).toEqual([
      'JOURNAL_MAX_BYTES: must be a size in bytes (268435456, 256MiB, 1GB)',
      'JOURNAL_MAX_AGE: must be a duration (30m, 24h, 2d)',
    ]);
  });
});
