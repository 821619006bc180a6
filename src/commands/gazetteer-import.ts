import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { importGazetteer, type ImportSummary } from '../gazetteer/import.js';
import { detectFileFormat, gazetteerFormats, type GazetteerFormat } from '../gazetteer/parse.js';
import type { CommandContext } from './context.js';
import { createProgress } from './progress.js';

const usage = 'usage: tamtam gazetteer import <file.csv> [--format oad|plain]';

/** Refusals of one kind, with the first line numbers. */
export interface RefusalGroup {
  reason: string;
  count: number;
  lines: number[];
}

/** The kind of a refusal: its reason without the quoted values and details that differ row to row. */
export function refusalKind(reason: string): string {
  return reason
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s*"[^"]*"/g, '')
    .trim();
}

/** Refused rows grouped by kind, largest group first, keeping the first `keepLines` line numbers. */
export function groupRefusals(refused: ImportSummary['refused'], keepLines = 5): RefusalGroup[] {
  const groups = new Map<string, RefusalGroup>();
  for (const r of refused) {
    const kind = refusalKind(r.reason);
    const group = groups.get(kind) ?? { reason: kind, count: 0, lines: [] };
    group.count += 1;
    if (group.lines.length < keepLines) group.lines.push(r.line);
    groups.set(kind, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** The summary printed after an import. */
export function formatImportSummary(file: string, summary: ImportSummary): string[] {
  const lines = [`${file}: ${summary.rowsRead} rows read, ${summary.placesAdded} places added, ${summary.refused.length} rows refused`];
  for (const g of groupRefusals(summary.refused)) {
    const more = g.count > g.lines.length ? ', …' : '';
    lines.push(`  ${g.count} × ${g.reason} (line${g.count > 1 ? 's' : ''} ${g.lines.join(', ')}${more})`);
  }
  return lines;
}

/**
 * `tamtam gazetteer import <file> [--format oad|plain]`: imports (or re-imports) one gazetteer
 * file into the database, replacing the places that file brought before. Exit status 0 when
 * imported (refused rows are listed), 1 when every row was refused (nothing is replaced), 2 for a
 * missing file or an unknown format.
 */
export async function gazetteerImportCommand(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { format: { type: 'string' } }, allowPositionals: true, strict: false });
  const file = positionals[0];
  const format = values.format;
  if (!file || positionals.length > 1) return context.fail(usage);
  if (format !== undefined && !gazetteerFormats.includes(format as GazetteerFormat)) {
    return context.fail(`unknown format "${String(format)}": use --format ${gazetteerFormats.join(' or ')}`);
  }
  const exists = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) return context.fail(`no such file: ${file}`);
  if (format === undefined && (await detectFileFormat(file)) === undefined) {
    return context.fail(
      `unknown format: the header of ${file} is neither Open Admin Data nor name,alt_names,admin1,admin2,admin3,lat,lon (use --format)`,
    );
  }
  return context.withDatabase(async (db) => {
    const progress = createProgress(context.stderr);
    const summary = await importGazetteer(db, file, {
      force: true,
      format: format as GazetteerFormat | undefined,
      onProgress: (p) => progress.update(p.phase === 'reading' ? 'reading rows' : 'saving places', p.done, p.total),
    });
    progress.finish();
    for (const line of formatImportSummary(file, summary)) context.stdout.write(`${line}\n`);
    if (summary.kept) {
      context.stderr.write(`nothing imported: every row was refused; the places ${summary.source} brought before are kept\n`);
      return 1;
    }
    return 0;
  });
}
