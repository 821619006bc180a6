import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { countAlertsToExport, exportAlerts } from '../db/alert-export.js';
import { alertsCsv } from '../reports/alerts-csv.js';
import { exportQuery, firstProblem } from '../reports/params.js';
import type { CommandContext } from './context.js';
import { createProgress } from './progress.js';
import { missionTimezone, reportArgs } from './report-args.js';

const usage = 'usage: tamtam export alerts --from YYYY-MM-DD --to YYYY-MM-DD [--hxl] [--exercise] [--out file.csv] [--timezone Area/City]';

/**
 * `tamtam export alerts`: the CSV of GET /api/exports/alerts.csv, to a file (with a progress bar
 * on stderr) or to stdout. Written page by page, waiting for the file to take each one.
 */
export async function exportAlertsCommand(args: string[], context: CommandContext): Promise<number> {
  const parsed = reportArgs(args, ['from', 'to', 'out'], ['hxl', 'exercise']);
  if (!parsed) return context.fail(usage);
  const { out, ...rest } = parsed.query;
  const query = exportQuery.safeParse(rest);
  if (!query.success) return context.fail(`--${firstProblem(query.error)}\n${usage}`);
  return context.withDatabase(async (db, _log, config) => {
    const timezone = await missionTimezone(config, parsed.timezone, context);
    if (!timezone) return 2;
    const period = { ...query.data, timezone };
    const total = await countAlertsToExport(db, period);
    const progress = createProgress(context.stderr);
    let done = 0;
    const file = out ? createWriteStream(out) : null;
    const chunks = alertsCsv(exportAlerts(db, period), {
      hxl: query.data.hxl,
      onPage: (count) => progress.update('alerts exported', (done += count), total),
    });
    for await (const chunk of chunks) {
      if (!file) context.stdout.write(chunk);
      else if (!file.write(chunk)) await once(file, 'drain');
    }
    progress.finish();
    if (file) await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
    context.stderr.write(`${done} alert${done === 1 ? '' : 's'} exported${out ? ` to ${out}` : ''}\n`);
    return 0;
  });
}
