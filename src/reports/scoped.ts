import type { ExportedAlert } from '../db/alert-export.js';
import { normalizeName } from '../gazetteer/normalize.js';
import type { Db } from '../db/index.js';
import type { ReportPeriod } from '../db/report-facts.js';
import type { SeasonalRow } from '../db/seasonal-report.js';
import { noFigures, responseReport, type ResponseFigures, type ResponseGrouping, type ResponseRow } from '../db/response-report.js';

/**
 * The response report as one office sees it (`officeId`), or the whole mission (null): grouped by
 * office as well, then only that office's rows kept, its row of the office grouping as the total.
 */
export async function scopedResponseReport(
  db: Db,
  params: ReportPeriod & { by: readonly ResponseGrouping[] },
  officeId: string | null,
): Promise<{ rows: ResponseRow[]; total: ResponseFigures }> {
  if (officeId === null) return responseReport(db, params);
  const by: ResponseGrouping[] = params.by.includes('office') ? [...params.by] : ['office', ...params.by];
  const [grouped, offices] = await Promise.all([responseReport(db, { ...params, by }), responseReport(db, { ...params, by: ['office'] })]);
  const { office: _, ...total } = (offices.rows.find((r) => r.office === officeId) ?? noFigures) as ResponseRow;
  const rows = grouped.rows
    .filter((r) => r.office === officeId)
    .map((r) => {
      if (params.by.includes('office')) return r;
      const { office: _office, ...rest } = r;
      return rest as ResponseRow;
    });
  return { rows, total: total as ResponseFigures };
}

/** The export's pages with only one office's alerts (null: all of them). */
export async function* alertsOfOffice(pages: AsyncIterable<ExportedAlert[]>, officeId: string | null): AsyncGenerator<ExportedAlert[]> {
  for await (const page of pages) yield officeId === null ? page : page.filter((a) => a.office === officeId);
}

/**
 * The seasonal report's places inside an office's area (its admin1 or admin2 names, compared as
 * routing compares them: case and accents aside), for someone who sees that office only: the report
 * counts places, not offices. `area` null: every place. An area given only by codes or at admin3
 * level matches no row (the rows carry admin1 and admin2 names).
 */
export function seasonalRowsInArea(rows: SeasonalRow[], area: { admin1?: string[]; admin2?: string[] } | null): SeasonalRow[] {
  if (!area) return rows;
  const names = (list: string[] | undefined) => new Set((list ?? []).map(normalizeName));
  const [admin1, admin2] = [names(area.admin1), names(area.admin2)];
  return rows.filter((r) => (r.admin1 !== null && admin1.has(normalizeName(r.admin1))) || (r.admin2 && admin2.has(normalizeName(r.admin2))));
}
