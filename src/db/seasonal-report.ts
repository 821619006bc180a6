import { threatTypes, type ThreatType } from '../domain/taxonomy.js';
import { memo } from '../memo.js';
import type { Db } from './index.js';
import { alertFactsSql, periodValues, withReportSettings, type ReportPeriod } from './report-facts.js';
import { statement } from './statement.js';

/** The administrative level a seasonal report counts places at. */
export const seasonalGroupings = ['admin1', 'admin2'] as const;
export type SeasonalGrouping = (typeof seasonalGroupings)[number];

/** Warnings received in one place in one month of the year (1–12), in total and per threat type. */
export interface SeasonalRow {
  admin1: string | null;
  /** Only when the report is by admin2. */
  admin2?: string | null;
  month: number;
  warnings: number;
  types: Record<ThreatType, number>;
}

const seasonalStatement = memo((by: string) => {
  const places = by === 'admin1' ? ['admin1'] : ['admin1', 'admin2'];
  const keys = places.map((p) => `pl.${p} as "${p}"`).join(', ');
  return statement(
    'seasonal_report',
    `${alertFactsSql({ timeline: false })}
     select ${keys}, extract(month from f.received_at at time zone $3)::int as "month", count(*)::int as "warnings",
            ${threatTypes.map((t) => `count(*) filter (where f.threat_type = '${t}')::int as "type_${t}"`).join(', ')}
       from facts f left join places pl on pl.id = f.place_id
      group by ${places.map((p) => `pl.${p}`).join(', ')}, "month"
      order by ${places.map((_, i) => `${i + 1} nulls last`).join(', ')}, "month"`,
  );
});

/**
 * "The same areas at the same times of the year": warnings received in the period per place
 * (admin1, or admin1 and admin2) and month of the year in the mission's time zone, by threat type,
 * in one statement. Alerts without a place count under a null place.
 */
export async function seasonalReport(db: Db, params: ReportPeriod & { by: SeasonalGrouping }): Promise<SeasonalRow[]> {
  const rows = await withReportSettings(db, (tx) => seasonalStatement(params.by)(tx, periodValues(params)));
  return rows.map((r) => ({
    admin1: r.admin1 as string | null,
    ...(params.by === 'admin2' ? { admin2: r.admin2 as string | null } : {}),
    month: r.month as number,
    warnings: r.warnings as number,
    types: Object.fromEntries(threatTypes.map((t) => [t, r[`type_${t}`] as number])) as Record<ThreatType, number>,
  }));
}
