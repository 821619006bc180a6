import { describe, expect, it } from 'vitest';
import { monthOf, weekBefore } from '../../src/workflows/response/summary.js';

describe('report periods in the mission time zone', () => {
  it.each([
    ['2026-11-30T23:30:00Z', 'Africa/Kinshasa', { from: '2026-12-01', to: '2027-01-01' }],
    ['2026-11-30T23:30:00Z', 'Africa/Bamako', { from: '2026-11-01', to: '2026-12-01' }],
    ['2026-12-31T22:59:00Z', 'Africa/Juba', { from: '2027-01-01', to: '2027-02-01' }],
    ['2026-02-10T10:00:00Z', 'UTC', { from: '2026-02-01', to: '2026-03-01' }],
  ])('this month at %s in %s', (now, timezone, expected) => {
    expect(monthOf(new Date(now), timezone)).toEqual(expected);
  });

  it.each([
    ['2026-11-30T07:00:00Z', 'Africa/Bamako', { from: '2026-11-23', to: '2026-11-30' }],
    ['2026-11-29T23:30:00Z', 'Africa/Bangui', { from: '2026-11-23', to: '2026-11-30' }],
    ['2026-03-02T08:00:00Z', 'UTC', { from: '2026-02-23', to: '2026-03-02' }],
  ])('the week before %s in %s', (now, timezone, expected) => {
    expect(weekBefore(new Date(now), timezone)).toEqual(expected);
  });
});
