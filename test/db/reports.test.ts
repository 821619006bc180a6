import { beforeAll, describe, expect, it } from 'vitest';
import { countAlertsToExport, exportAlerts } from '../../src/db/alert-export.js';
import { responseReport } from '../../src/db/response-report.js';
import { useFreshDatabase } from '../helpers/database.js';
import { insertOffices, insertTimeline, type Timeline } from '../helpers/timelines.js';

/**
 * Alerts with known timelines (seconds after the first message). The mission is in
 * Africa/Kinshasa (UTC+1): November there runs from 2026-10-31T23:00Z to 2026-11-30T23:00Z.
 */
const november: Record<string, Timeline> = {
  // Acknowledged in time, replied to, responding, resolved with two outcomes.
  a: {
    received: '2026-11-02T08:00:00Z',
    office: 'mopti',
    severity: 'critical',
    cardSent: 3,
    acknowledged: 120,
    replied: 200,
    responding: 600,
    resolved: { at: 3600, outcomes: ['patrol', 'engagement'] },
  },
  // Acknowledged after an escalation (deadline at 901 s).
  b: {
    received: '2026-11-05T10:00:00Z',
    office: 'mopti',
    severity: 'high',
    ackTimeout: 900,
    cardSent: 4,
    escalations: [901],
    acknowledged: 1000,
    resolved: { at: 5000, outcomes: ['authorities'] },
  },
  // Escalated, then resolved without an acknowledgement.
  c: {
    received: '2026-11-10T12:00:00Z',
    office: 'gao',
    severity: 'critical',
    cardSent: 5,
    escalations: [301],
    resolved: { at: 400, outcomes: ['no_action_possible'] },
  },
  // Dismissed as a duplicate without an acknowledgement (duplicateOf is filled in by the test).
  d: { received: '2026-11-12T09:00:00Z', office: 'gao', severity: 'medium', cardSent: 2, dismissed: { at: 60 }, followUps: [30] },
  // An exercise (from the simulator).
  e: { received: '2026-11-15T09:00:00Z', office: 'mopti', severity: 'critical', channel: 'simulator', cardSent: 1, acknowledged: 10 },
  // Still open: acknowledged and replied to.
  f: { received: '2026-11-20T15:00:00Z', office: 'gao', severity: 'low', ackTimeout: 14_400, cardSent: 6, acknowledged: 30, replied: 45 },
  // 2026-11-01 00:30 in Kinshasa: November there, October in UTC; still open.
  g: { received: '2026-10-31T23:30:00Z', office: 'mopti', severity: 'high', ackTimeout: 900, cardSent: 3, acknowledged: 60 },
  // 2026-10-31 23:30 in Kinshasa: October.
  h: { received: '2026-10-31T22:30:00Z', office: 'gao', severity: 'high', cardSent: 3 },
  // 2026-12-01 00:10 in Kinshasa: December.
  i: { received: '2026-11-30T23:10:00Z', office: 'gao', severity: 'high', cardSent: 3 },
};

const zeroOutcomes = { patrol: 0, engagement: 0, authorities: 0, humanitarian: 0, no_action_possible: 0, false_alarm: 0 };
const period = { from: '2026-11-01', to: '2026-12-01', timezone: 'Africa/Kinshasa' };

describe('the response report', () => {
  const database = useFreshDatabase();
  beforeAll(async () => {
    const { pool } = database();
    await insertOffices(pool, ['mopti', 'gao']);
    const a = await insertTimeline(pool, november.a!);
    for (const [key, timeline] of Object.entries(november)) {
      if (key === 'a') continue;
      await insertTimeline(pool, key === 'd' ? { ...timeline, dismissed: { at: 60, duplicateOf: a.ref } } : timeline);
    }
  });

  it('gives every figure per office and in total, to the second', async () => {
    const report = await responseReport(database().db, { ...period, by: ['office'] });
    expect(report.rows).toEqual([
      {
        office: 'gao',
        received: 3,
        acknowledged: 1,
        acknowledgedInTime: 1,
        ackRate: 1 / 3,
        inTimeRate: 1 / 3,
        escalated: 1,
        repliedToReporter: 1,
        responding: 0,
        closed: 2,
        withOutcome: 1,
        outcomes: { ...zeroOutcomes, no_action_possible: 1 },
        open: 1,
        medianTimeToNotify: 5,
        medianTimeToAcknowledge: 30,
        p90TimeToAcknowledge: 30,
        medianTimeToFirstReply: 45,
        medianTimeToRespond: null,
        medianTimeToClose: 230,
      },
      {
        office: 'mopti',
        received: 3,
        acknowledged: 3,
        acknowledgedInTime: 2,
        ackRate: 1,
        inTimeRate: 2 / 3,
        escalated: 1,
        repliedToReporter: 1,
        responding: 1,
        closed: 2,
        withOutcome: 2,
        outcomes: { ...zeroOutcomes, patrol: 1, engagement: 1, authorities: 1 },
        open: 1,
        // p90 of 60, 120, 1000: 120 + 0.8 × 880
        medianTimeToNotify: 3,
        medianTimeToAcknowledge: 120,
        p90TimeToAcknowledge: 824,
        medianTimeToFirstReply: 200,
        medianTimeToRespond: 600,
        medianTimeToClose: 4300,
      },
    ]);
    expect(report.total).toEqual({
      received: 6,
      acknowledged: 4,
      acknowledgedInTime: 3,
      ackRate: 4 / 6,
      inTimeRate: 0.5,
      escalated: 2,
      repliedToReporter: 2,
      responding: 1,
      closed: 4,
      withOutcome: 3,
      outcomes: { ...zeroOutcomes, patrol: 1, engagement: 1, authorities: 1, no_action_possible: 1 },
      open: 2,
      // notify 2,3,3,4,5,6 → 3.5; ack 30,60,120,1000 → 90 and 120 + 0.7 × 880; replies 45, 200 → 122.5; close 60,400,3600,5000 → 2000
      medianTimeToNotify: 4,
      medianTimeToAcknowledge: 90,
      p90TimeToAcknowledge: 736,
      medianTimeToFirstReply: 123,
      medianTimeToRespond: 600,
      medianTimeToClose: 2000,
    });
  });

  it('includes exercise alerts only when asked', async () => {
    const report = await responseReport(database().db, { ...period, exercise: true, by: ['office'] });
    expect(report.rows.find((r) => r.office === 'mopti')).toMatchObject({
      received: 4,
      acknowledged: 4,
      acknowledgedInTime: 3,
      medianTimeToNotify: 3,
    });
    expect(report.total.received).toBe(7);
  });

  it('counts months in the mission time zone', async () => {
    const report = await responseReport(database().db, { ...period, from: '2026-10-01', to: '2027-01-01', by: ['month'] });
    expect(report.rows.map((r) => [r.month, r.received])).toEqual([
      ['2026-10', 1],
      ['2026-11', 6],
      ['2026-12', 1],
    ]);
    const utc = await responseReport(database().db, { ...period, timezone: 'UTC', by: ['month'] });
    expect(utc.rows.map((r) => [r.month, r.received])).toEqual([['2026-11', 6]]);
    expect(utc.total.received).toBe(6); // g is October in UTC, i is November
  });

  it('groups by several keys, and gives an empty period a total of zeros', async () => {
    const report = await responseReport(database().db, { ...period, by: ['office', 'severity'] });
    expect(report.rows.map((r) => [r.office, r.severity, r.received])).toEqual([
      ['gao', 'critical', 1],
      ['gao', 'low', 1],
      ['gao', 'medium', 1],
      ['mopti', 'critical', 1],
      ['mopti', 'high', 2],
    ]);
    const empty = await responseReport(database().db, { ...period, from: '2025-01-01', to: '2025-02-01', by: ['type'] });
    expect(empty.rows).toEqual([]);
    expect(empty.total).toMatchObject({ received: 0, ackRate: null, medianTimeToAcknowledge: null, outcomes: zeroOutcomes });
  });

  it('exports the same alerts page by page as in one page, oldest first', async () => {
    const pages = async (pageSize: number) => {
      const found: { ref: string; eventDate: string; timeToAcknowledge: number | null }[][] = [];
      for await (const page of exportAlerts(database().db, { ...period, exercise: true }, { pageSize })) found.push(page);
      return found;
    };
    const whole = await pages(1_000);
    expect(whole).toHaveLength(1);
    expect(whole[0]!.map((a) => a.eventDate)).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-05',
      '2026-11-10',
      '2026-11-12',
      '2026-11-15',
      '2026-11-20',
    ]);
    expect(whole[0]!.map((a) => a.timeToAcknowledge)).toEqual([60, 120, 1000, null, null, 10, 30]);
    const byTwo = await pages(2);
    expect(byTwo.length).toBeGreaterThanOrEqual(4);
    expect(byTwo.flat()).toEqual(whole[0]);
    expect(await countAlertsToExport(database().db, { ...period, exercise: true })).toBe(7);
  });
});
