import { responseReport } from '../db/response-report.js';
import { seasonalReport } from '../db/seasonal-report.js';
import { recordsCsv } from '../reports/csv.js';
import { responseDefinitions } from '../reports/definitions.js';
import { firstProblem, responseQuery, seasonalQuery } from '../reports/params.js';
import type { CommandContext } from './context.js';
import { missionTimezone, reportArgs } from './report-args.js';
import { responseRecords, responseTable, seasonalRecords, seasonalTable } from './report-table.js';

const formats = ['table', 'csv', 'json'] as const;
type Format = (typeof formats)[number];

/** Splits `--format` off the report's own options; null when it is not one of the formats. */
function formatOf(query: Record<string, string>): { format: Format; rest: Record<string, string> } | null {
  const { format = 'table', ...rest } = query;
  return (formats as readonly string[]).includes(format) ? { format: format as Format, rest } : null;
}

const responseUsage =
  'usage: tamtam report response --from YYYY-MM-DD --to YYYY-MM-DD [--by office,type,severity,month] [--exercise] [--format table|csv|json] [--timezone Area/City]';

/**
 * `tamtam report response`: the response report of GET /api/reports/response, as a table (the
 * default), CSV or JSON, on stdout. Dates are read in the mission's time zone (deployment file).
 */
export async function reportResponseCommand(args: string[], context: CommandContext): Promise<number> {
  const parsed = reportArgs(args, ['from', 'to', 'by', 'format'], ['exercise']);
  const format = parsed && formatOf(parsed.query);
  if (!parsed || !format) return context.fail(responseUsage);
  const query = responseQuery.safeParse(format.rest);
  if (!query.success) return context.fail(`--${firstProblem(query.error)}\n${responseUsage}`);
  return context.withDatabase(async (db, _log, config) => {
    const timezone = await missionTimezone(config, parsed.timezone, context);
    if (!timezone) return 2;
    const { rows, total } = await responseReport(db, { ...query.data, timezone });
    const { from, to, by, exercise } = query.data;
    if (format.format === 'json')
      context.stdout.write(`${JSON.stringify({ from, to, by, timezone, exercise, definitions: responseDefinitions, rows, total }, null, 2)}\n`);
    else if (format.format === 'csv') context.stdout.write(recordsCsv(responseRecords(by, rows, total)));
    else {
      context.stdout.write(
        `Response to warnings received from ${from} to ${to} (exclusive), ${timezone}${exercise ? ', exercises included' : ''}\n\n`,
      );
      context.stdout.write(responseTable(by, rows, total));
      context.stdout.write('\nTimes from the first message: p50 median, p90 90th percentile. Definitions: --format json.\n');
    }
    return 0;
  });
}

const seasonalUsage =
  'usage: tamtam report seasonal --from YYYY-MM-DD --to YYYY-MM-DD [--by admin1|admin2] [--exercise] [--format table|csv|json] [--timezone Area/City]';

/** `tamtam report seasonal`: warnings per place and month of the year, by threat type (GET /api/reports/seasonal). */
export async function reportSeasonalCommand(args: string[], context: CommandContext): Promise<number> {
  const parsed = reportArgs(args, ['from', 'to', 'by', 'format'], ['exercise']);
  const format = parsed && formatOf(parsed.query);
  if (!parsed || !format) return context.fail(seasonalUsage);
  const query = seasonalQuery.safeParse(format.rest);
  if (!query.success) return context.fail(`--${firstProblem(query.error)}\n${seasonalUsage}`);
  return context.withDatabase(async (db, _log, config) => {
    const timezone = await missionTimezone(config, parsed.timezone, context);
    if (!timezone) return 2;
    const rows = await seasonalReport(db, { ...query.data, timezone });
    const { from, to, by, exercise } = query.data;
    if (format.format === 'json') context.stdout.write(`${JSON.stringify({ from, to, by, timezone, exercise, rows }, null, 2)}\n`);
    else if (format.format === 'csv') context.stdout.write(recordsCsv(seasonalRecords(rows)));
    else {
      context.stdout.write(`Warnings per place and month of the year, received from ${from} to ${to} (exclusive), ${timezone}\n\n`);
      context.stdout.write(seasonalTable(rows, by === 'admin2'));
    }
    return 0;
  });
}
