import { describe, expect, it } from 'vitest';
import { escalationDeadline, lastEscalationLevel, nextEscalation, rescheduledDeadline } from '../../src/domain/escalation.js';
import { defaultSeverityRule, severityOf } from '../../src/domain/severity.js';
import { parseDuration, formatDuration } from '../../src/deployment/duration.js';

const policy = {
  ackTimeout: { critical: 300_000, high: 900_000, medium: 3_600_000, low: 14_400_000 },
  levels: [{ notify: ['office.officers'] }, { notify: ['office.supervisors'] }, { notify: ['role.joc'] }],
  repeatLast: 2,
};

describe('escalation', () => {
  it('sets the acknowledge deadline from the severity', () => {
    const at = new Date('2026-11-21T10:00:00Z');
    expect(escalationDeadline(policy, 'critical', at).toISOString()).toBe('2026-11-21T10:05:00.000Z');
    expect(escalationDeadline(policy, 'low', at).toISOString()).toBe('2026-11-21T14:00:00.000Z');
  });

  it('moves the deadline when an officer corrects the severity, counting from when the level was notified', () => {
    const notifiedAt = new Date('2026-11-21T10:00:00Z');
    const lowDeadline = escalationDeadline(policy, 'low', notifiedAt); // 14:00
    // Corrected to critical at 10:02: due at 10:05, as if it had been critical from the start.
    expect(rescheduledDeadline(policy, lowDeadline, 'low', 'critical', new Date('2026-11-21T10:02:00Z')).toISOString()).toBe(
      '2026-11-21T10:05:00.000Z',
    );
    // Corrected at 10:30, already past 10:05: due now (it escalates at once).
    expect(rescheduledDeadline(policy, lowDeadline, 'low', 'critical', new Date('2026-11-21T10:30:00Z')).toISOString()).toBe(
      '2026-11-21T10:30:00.000Z',
    );
    // Corrected down from critical to low: the office gets the low deadline.
    const criticalDeadline = escalationDeadline(policy, 'critical', notifiedAt);
    expect(rescheduledDeadline(policy, criticalDeadline, 'critical', 'low', new Date('2026-11-21T10:01:00Z')).toISOString()).toBe(
      '2026-11-21T14:00:00.000Z',
    );
  });

  it('climbs each level once, repeats the last repeatLast times, then stops', () => {
    const steps = [];
    for (let next = nextEscalation(policy, 0); next; next = nextEscalation(policy, next.level)) steps.push(next);
    expect(steps).toEqual([
      { level: 1, notify: ['office.supervisors'] },
      { level: 2, notify: ['role.joc'] },
      { level: 3, notify: ['role.joc'] },
      { level: 4, notify: ['role.joc'] },
    ]);
    expect(lastEscalationLevel(policy)).toBe(4);
    expect(nextEscalation({ ...policy, levels: [{ notify: ['office.officers'] }], repeatLast: 0 }, 0)).toBeNull();
  });
});

describe('severity', () => {
  it.each([
    ['attack_on_civilians', 'ongoing', 'critical'],
    ['attack_on_civilians', 'past', 'medium'],
    ['armed_group_presence', 'imminent', 'high'],
    ['armed_group_presence', 'unknown', 'medium'],
    ['displacement', 'past', 'low'],
    ['other', 'past', 'low'],
    ['explosive_device', 'imminent', 'critical'],
  ] as const)('%s that is %s is %s', (type, urgency, expected) => {
    expect(severityOf(type, urgency)).toBe(expected);
  });

  it('follows a mission override of the rule', () => {
    const rule = { ...defaultSeverityRule, base: { ...defaultSeverityRule.base, displacement: 'high' as const } };
    expect(severityOf('displacement', 'ongoing', rule)).toBe('critical');
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
  it.each(['', '5', '5 minutes', '-5m', '0s', 'm5'])('refuses %j', (text) => expect(parseDuration(text)).toBeNull());
});
