import { outcomeIds, type OutcomeId } from '../domain/taxonomy.js';
import { memo } from '../memo.js';
import type { Db } from './index.js';
import { acknowledgedInTimeSql, alertFactsSql, periodValues, timeColumns, withReportSettings, type ReportPeriod } from './report-facts.js';
import { statement } from './statement.js';

/** What a response report can be grouped by (several at once). */
export const responseGroupings = ['office', 'type', 'severity', 'month'] as const;
export type ResponseGrouping = (typeof responseGroupings)[number];

/** One row's figures (DESIGN.md "Response and its record"); rates 0–1, times in seconds. */
export interface ResponseFigures {
  received: number;
  acknowledged: number;
  acknowledgedInTime: number;
  ackRate: number | null;
  inTimeRate: number | null;
  escalated: number;
  repliedToReporter: number;
  responding: number;
  closed: number;
  withOutcome: number;
  outcomes: Record<OutcomeId, number>;
  open: number;
  medianTimeToNotify: number | null;
  medianTimeToAcknowledge: number | null;
  p90TimeToAcknowledge: number | null;
  medianTimeToFirstReply: number | null;
  medianTimeToRespond: number | null;
  medianTimeToClose: number | null;
}

export type ResponseRow = Partial<Record<ResponseGrouping, string | null>> & ResponseFigures;

const groupingColumn: Record<ResponseGrouping, string> = {
  office: 'office_id',
  type: 'threat_type',
  severity: 'severity',
  // The month the warning arrived, in the mission's time zone.
  month: `to_char(received_at at time zone $3, 'YYYY-MM')`,
};

const percentile = (share: number, time: keyof typeof timeColumns) =>
  `round((percentile_cont(${share}) within group (order by ${timeColumns[time]}))::numeric)::int`;

const figures = `
  count(*)::int as "received",
  count(acknowledged_at)::int as "acknowledged",
  count(*) filter (where ${acknowledgedInTimeSql})::int as "acknowledgedInTime",
  count(*) filter (where escalated)::int as "escalated",
  count(replied_at)::int as "repliedToReporter",
  count(responding_at)::int as "responding",
  count(closed_at)::int as "closed",
  count(*) filter (where jsonb_array_length(outcomes) > 0)::int as "withOutcome",
  ${outcomeIds.map((o) => `count(*) filter (where outcomes @> '["${o}"]')::int as "outcome_${o}"`).join(',\n  ')},
  ${percentile(0.5, 'timeToNotify')} as "medianTimeToNotify",
  ${percentile(0.5, 'timeToAcknowledge')} as "medianTimeToAcknowledge",
  ${percentile(0.9, 'timeToAcknowledge')} as "p90TimeToAcknowledge",
  ${percentile(0.5, 'timeToFirstReply')} as "medianTimeToFirstReply",
  ${percentile(0.5, 'timeToRespond')} as "medianTimeToRespond",
  ${percentile(0.5, 'timeToClose')} as "medianTimeToClose"`;

/**
 * One statement per grouping: the groups' rows and the total together (grouping sets); the total
 * is the row where `grouping(…)` marks every key as rolled up.
 */
const responseStatement = memo((by: string) => {
  const keys = by ? (by.split(',') as ResponseGrouping[]) : [];
  const columns = keys.map((k) => `${groupingColumn[k]} as "${k}"`);
  const expressions = keys.map((k) => groupingColumn[k]).join(', ');
  const sets = keys.length ? `grouping sets ((${expressions}), ())` : '()';
  const isTotal = keys.length ? `grouping(${expressions}) <> 0` : 'true';
  return statement(
    'response_report',
    `${alertFactsSql()}
     select ${[...columns, `${isTotal} as "isTotal"`, figures].join(', ')}
       from facts
      group by ${sets}
      order by 1 nulls last${keys
        .slice(1)
        .map((_, i) => `, ${i + 2} nulls last`)
        .join('')}`,
  );
});

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function toFigures(raw: Record<string, unknown>): ResponseFigures {
  const n = (key: string) => Number(raw[key] ?? 0);
  const seconds = (key: string) => (raw[key] ?? null) as number | null;
  const received = n('received');
  return {
    received,
    acknowledged: n('acknowledged'),
    acknowledgedInTime: n('acknowledgedInTime'),
    ackRate: rate(n('acknowledged'), received),
    inTimeRate: rate(n('acknowledgedInTime'), received),
    escalated: n('escalated'),
    repliedToReporter: n('repliedToReporter'),
    responding: n('responding'),
    closed: n('closed'),
    withOutcome: n('withOutcome'),
    outcomes: Object.fromEntries(outcomeIds.map((o) => [o, n(`outcome_${o}`)])) as Record<OutcomeId, number>,
    open: received - n('closed'),
    medianTimeToNotify: seconds('medianTimeToNotify'),
    medianTimeToAcknowledge: seconds('medianTimeToAcknowledge'),
    p90TimeToAcknowledge: seconds('p90TimeToAcknowledge'),
    medianTimeToFirstReply: seconds('medianTimeToFirstReply'),
    medianTimeToRespond: seconds('medianTimeToRespond'),
    medianTimeToClose: seconds('medianTimeToClose'),
  };
}

/** Figures of no alert at all (the total of an empty period). */
export const noFigures = toFigures({});

/**
 * The response report: figures per group of alerts received in the period, and their total, in one
 * statement. Rows appear only for groups with alerts, ordered by their keys (nulls last).
 */
export async function responseReport(
  db: Db,
  params: ReportPeriod & { by: readonly ResponseGrouping[] },
): Promise<{ rows: ResponseRow[]; total: ResponseFigures }> {
  const raw = await withReportSettings(db, (tx) => responseStatement(params.by.join(','))(tx, periodValues(params)));
  const rows: ResponseRow[] = [];
  let total = noFigures;
  for (const row of raw) {
    if (row.isTotal) total = toFigures(row);
    else rows.push({ ...Object.fromEntries(params.by.map((k) => [k, row[k] as string | null])), ...toFigures(row) });
  }
  return { rows, total };
}
