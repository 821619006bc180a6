import type { ResponseFigures, ResponseGrouping, ResponseRow } from '../db/response-report.js';
import type { SeasonalRow } from '../db/seasonal-report.js';
import { outcomeIds, threatTypes } from '../domain/taxonomy.js';

/** Seconds as a person reads them: 45s, 2m05s, 1h20m, 3d04h; a dash for none. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m${pad(seconds % 60)}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)}h${pad(Math.floor((seconds % 3_600) / 60))}m`;
  return `${Math.floor(seconds / 86_400)}d${pad(Math.floor((seconds % 86_400) / 3_600))}h`;
}

const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);

/** Columns left-aligned for text, right-aligned for figures, two spaces apart. */
export function table(head: string[], rows: string[][], textColumns: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const cell = (value: string, i: number) => (i < textColumns ? value.padEnd(widths[i]!) : value.padStart(widths[i]!));
  return [head, ...rows].map((r) => r.map(cell).join('  ').trimEnd()).join('\n') + '\n';
}

const figureHead = [
  'received',
  'ack',
  'in time',
  'ack %',
  'in time %',
  'escalated',
  'replied',
  'responding',
  'closed',
  'outcome',
  'open',
  'notify p50',
  'ack p50',
  'ack p90',
  'reply p50',
  'respond p50',
  'close p50',
];

const figureCells = (f: ResponseFigures) => [
  String(f.received),
  String(f.acknowledged),
  String(f.acknowledgedInTime),
  percent(f.ackRate),
  percent(f.inTimeRate),
  String(f.escalated),
  String(f.repliedToReporter),
  String(f.responding),
  String(f.closed),
  String(f.withOutcome),
  String(f.open),
  ...[
    f.medianTimeToNotify,
    f.medianTimeToAcknowledge,
    f.p90TimeToAcknowledge,
    f.medianTimeToFirstReply,
    f.medianTimeToRespond,
    f.medianTimeToClose,
  ].map(duration),
];

/** The response report as a table, one line per group and the total last. */
export function responseTable(by: readonly ResponseGrouping[], rows: ResponseRow[], total: ResponseFigures): string {
  const keys = by.length ? [...by] : ['all'];
  const keyCells = (row: ResponseRow) => by.map((k) => row[k] ?? '(none)');
  const body = rows.map((row) => [...keyCells(row), ...figureCells(row)]);
  const totalKeys = keys.map((_, i) => (i === 0 ? 'total' : ''));
  return table([...keys, ...figureHead], [...body, [...totalKeys, ...figureCells(total)]], keys.length);
}

/** The response report as flat records (outcomes as `outcome_<id>`), for CSV. */
export function responseRecords(
  by: readonly ResponseGrouping[],
  rows: ResponseRow[],
  total: ResponseFigures,
): Record<string, string | number | null>[] {
  const flat = (keys: Record<string, string | null>, f: ResponseFigures) => {
    const { outcomes: counts, ...figures } = f;
    return { ...keys, ...figures, ...Object.fromEntries(outcomeIds.map((o) => [`outcome_${o}`, counts[o]])) };
  };
  return [
    ...rows.map((row) => flat(Object.fromEntries(by.map((k) => [k, row[k] ?? null])), row)),
    flat(Object.fromEntries(by.map((k, i) => [k, i === 0 ? 'total' : null])), total),
  ];
}

/** The seasonal report as a table: place, month, warnings, then the threat types that occur. */
export function seasonalTable(rows: SeasonalRow[], byAdmin2: boolean): string {
  const types = threatTypes.filter((t) => rows.some((r) => r.types[t] > 0));
  const places = byAdmin2 ? ['admin1', 'admin2'] : ['admin1'];
  const body = rows.map((r) => [
    r.admin1 ?? '(no place)',
    ...(byAdmin2 ? [r.admin2 ?? '(none)'] : []),
    String(r.month),
    String(r.warnings),
    ...types.map((t) => String(r.types[t])),
  ]);
  return table([...places, 'month', 'warnings', ...types], body, places.length);
}

/** Seasonal rows as flat records (`type_<id>` per threat type), for CSV. */
export function seasonalRecords(rows: SeasonalRow[]): Record<string, string | number | null>[] {
  return rows.map(({ types, ...row }) => ({ ...row, ...Object.fromEntries(threatTypes.map((t) => [`type_${t}`, types[t]])) }));
}
