import type { Db } from './index.js';
import { alertFactsSql, periodValues, timeColumns, withReportSettings, type ReportPeriod } from './report-facts.js';
import { statement } from './statement.js';

/** One alert as exported (DESIGN.md "Response and its record"); times in seconds, or null. */
export interface ExportedAlert {
  eventDate: string;
  admin1: string | null;
  admin2: string | null;
  admin3: string | null;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  /** The reporter's first message, as received (the caller redacts it). */
  text: string;
  ref: string;
  office: string | null;
  threatType: string | null;
  /** The other types the warning tells of, most severe first. */
  otherThreatTypes: string[];
  urgency: string | null;
  severity: string | null;
  status: string;
  outcomes: string[];
  timeToNotify: number | null;
  timeToAcknowledge: number | null;
  timeToFirstReply: number | null;
  timeToRespond: number | null;
  timeToClose: number | null;
  escalationLevel: number;
  /** The pseudonym officers see (e.g. `PF-3F2A`): never the number or the name. */
  reporter: string | null;
  language: string | null;
  /** Reporters' messages about the alert: the first, follow-ups and warnings grouped under it (corroborations). */
  reports: number;
}

// Keyset pages of candidates in creation order: $5 and $6 are the last page's (created_at as text, id),
// $7 the page size; candidates received outside the period come back with inPeriod false.
/** A row of a page: the alert, where the page ends, and whether it counts. */
type PageRow = ExportedAlert & { cursorAt: string; id: string; inPeriod: boolean };

const exportPage = statement<PageRow>(
  'export_alerts_page',
  `${alertFactsSql({ page: true })}
   select f.id, f.created_at::text as "cursorAt", f.in_period as "inPeriod",
          to_char(f.received_at at time zone $3, 'YYYY-MM-DD') as "eventDate",
          pl.admin1, pl.admin2, pl.admin3, pl.name as "location", pl.lat as "latitude", pl.lon as "longitude",
          f.text, f.ref, f.office_id as "office", f.threat_type as "threatType", (select o.other_threat_types from alerts o where o.id = f.id) as "otherThreatTypes", f.urgency, f.severity, f.status,
          array(select jsonb_array_elements_text(f.outcomes)) as "outcomes",
          ${Object.entries(timeColumns)
            .map(([name, sql]) => `${sql} as "${name}"`)
            .join(', ')},
          f.escalation_level as "escalationLevel", fp.pseudonym as "reporter", f.language, f.reports
     from window_facts f
     left join places pl on pl.id = f.place_id
     left join focal_points fp on fp.id = f.focal_point_id
    order by f.created_at, f.id
    limit $7`,
);

const countStatement = statement<{ n: number }>('export_alerts_count', `${alertFactsSql({ timeline: false })} select count(*)::int as n from facts`);

/** How many alerts `exportAlerts` will give for the period (for a progress display). */
export async function countAlertsToExport(db: Db, period: ReportPeriod): Promise<number> {
  const [row] = await withReportSettings(db, (tx) => countStatement(tx, periodValues(period)));
  return row?.n ?? 0;
}

/**
 * The alerts received in the period, oldest first, one page of `pageSize` at a time (a keyset
 * query per page: the export is never held in memory whole). The next page is read while the
 * caller handles this one, so at most two pages are in memory.
 */
export async function* exportAlerts(db: Db, period: ReportPeriod, { pageSize = 1_000 }: { pageSize?: number } = {}): AsyncGenerator<ExportedAlert[]> {
  const read = (cursor: [string | null, string | null]): Promise<PageRow[]> =>
    withReportSettings(db, (tx) => exportPage(tx, [...periodValues(period), ...cursor, pageSize]));
  let next: Promise<PageRow[]> | null = read([null, null]);
  while (next) {
    const rows: PageRow[] = await next;
    const last = rows[rows.length - 1];
    // A short page is the last one.
    next = last && rows.length === pageSize ? read([last.cursorAt, last.id]) : null;
    // Should the caller stop early, the page already asked for is read and dropped, not left failing.
    next?.catch(() => {});
    const page = rows.filter((r) => r.inPeriod).map(({ cursorAt: _, id: __, inPeriod: ___, ...alert }) => alert);
    if (page.length > 0) yield page;
  }
}
