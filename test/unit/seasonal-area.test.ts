import { describe, expect, it } from 'vitest';
import type { SeasonalRow } from '../../src/db/seasonal-report.js';
import { threatTypes, type ThreatType } from '../../src/domain/taxonomy.js';
import { seasonalRowsInArea } from '../../src/reports/scoped.js';

const row = (admin1: string | null, admin2?: string | null): SeasonalRow => ({
  admin1,
  ...(admin2 === undefined ? {} : { admin2 }),
  month: 11,
  warnings: 1,
  types: Object.fromEntries(threatTypes.map((t) => [t, 0])) as Record<ThreatType, number>,
});

describe('the seasonal report as one office sees it: the places in its area', () => {
  it('reads the area as routing does, case and accents aside, by admin1 or admin2', () => {
    const rows = [row('Ségou', 'San'), row('Mopti', 'Bankass'), row('Mopti', 'Djenné'), row(null, null)];
    expect(seasonalRowsInArea(rows, { admin1: ['SEGOU'] }).map((r) => r.admin2)).toEqual(['San']);
    expect(seasonalRowsInArea(rows, { admin2: ['djenne'] }).map((r) => r.admin2)).toEqual(['Djenné']);
    expect(seasonalRowsInArea(rows, { admin1: ['Gao'] })).toEqual([]);
    expect(seasonalRowsInArea(rows, null)).toHaveLength(4);
  });
});
