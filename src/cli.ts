/**
 * Tamtam's command line: `npm run tamtam -- <command> <subcommand> [arguments]`.
 *
 *   gazetteer import <file> [--format oad|plain]   import or re-import a gazetteer file
 *   export corrections [--out file.jsonl]          officers' corrections as labelled examples
 *   export alerts --from D --to D [--hxl] [--out file.csv]    alerts as CSV (ACLED/HXL columns)
 *   report response --from D --to D [--by office,month] [--format table|csv|json]
 *   report seasonal --from D --to D [--by admin1|admin2] [--format table|csv|json]
 *
 * Uses the same environment as `npm start` (DATABASE_URL, or the embedded PostgreSQL under DATA_DIR).
 */
import { pathToFileURL } from 'node:url';
import { createCommandContext, type CommandContext } from './commands/context.js';
import { exportAlertsCommand } from './commands/export-alerts.js';
import { exportCorrectionsCommand } from './commands/export-corrections.js';
import { gazetteerImportCommand } from './commands/gazetteer-import.js';
import { reportResponseCommand, reportSeasonalCommand } from './commands/report.js';

type Command = (args: string[], context: CommandContext) => Promise<number>;

const commands: Record<string, Record<string, Command>> = {
  gazetteer: { import: gazetteerImportCommand },
  export: { corrections: exportCorrectionsCommand, alerts: exportAlertsCommand },
  report: { response: reportResponseCommand, seasonal: reportSeasonalCommand },
};

const usage = [
  'usage: npm run tamtam -- <command>',
  '  gazetteer import <file> [--format oad|plain]',
  '  export corrections [--out file.jsonl]',
  '  export alerts --from YYYY-MM-DD --to YYYY-MM-DD [--hxl] [--exercise] [--out file.csv]',
  '  report response --from YYYY-MM-DD --to YYYY-MM-DD [--by office,type,severity,month] [--exercise] [--format table|csv|json]',
  '  report seasonal --from YYYY-MM-DD --to YYYY-MM-DD [--by admin1|admin2] [--exercise] [--format table|csv|json]',
].join('\n');

/** Runs one command; returns its exit status. */
export async function runCli(argv: string[], context: CommandContext): Promise<number> {
  const [group, name, ...rest] = argv;
  const command = group && name ? commands[group]?.[name] : undefined;
  if (!command) return context.fail(argv.length ? `unknown command "${argv.slice(0, 2).join(' ')}"\n${usage}` : usage);
  return command(rest, context);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const context = createCommandContext(process.stdout, process.stderr);
  // Exit explicitly, with the command's status, once stdout is flushed.
  const exit = (status: number) => process.stdout.write('', () => process.exit(status));
  runCli(process.argv.slice(2), context).then(exit, (error: Error) => {
    process.stderr.write(`error: ${error.message}\n`);
    exit(1);
  });
}
