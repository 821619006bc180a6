import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../db/index.js';
import { getSetting, replacePlaces, toPlaceRow, type PlaceRowInput } from '../db/places.js';
import { readGazetteerFile, type GazetteerFormat } from './parse.js';

export interface ImportSummary {
  source: string;
  rowsRead: number;
  placesAdded: number;
  refused: { line: number; reason: string }[];
  skipped: boolean;
  /** True when no row of the file could be read: the places it brought last time were kept. */
  kept: boolean;
}

/** Where an import stands: rows read from the file, then places written to the database. */
export interface ImportProgress {
  phase: 'reading' | 'saving';
  /** Rows read so far (reading) or places written so far (saving). */
  done: number;
  /** Places to write (saving only). */
  total?: number;
}

/** Options of `importGazetteer`. */
export interface ImportOptions {
  /** Overrides the format detected from the header. */
  format?: GazetteerFormat;
  /** Import even when the file is unchanged since its last import (default false). */
  force?: boolean;
  /** Called every 1,000 rows read, then after each batch of places written. */
  onProgress?: (progress: ImportProgress) => void;
}

/** Imports one gazetteer file, replacing the places it brought last time. Unchanged files are skipped unless `force`. */
export async function importGazetteer(db: Db, file: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const source = path.basename(file);
  const fingerprint = createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
  if (!options.force && (await getSetting<string>(db, `gazetteer:${source}`)) === fingerprint) {
    return { source, rowsRead: 0, placesAdded: 0, refused: [], skipped: true, kept: false };
  }
  const places: PlaceRowInput[] = [];
  const refused: ImportSummary['refused'] = [];
  let rowsRead = 0;
  for await (const row of readGazetteerFile(file, { format: options.format, source })) {
    rowsRead++;
    if ('place' in row) {
      places.push(toPlaceRow(row.place));
    } else refused.push(row.refused);
    if (rowsRead % 1_000 === 0) options.onProgress?.({ phase: 'reading', done: rowsRead });
  }
  options.onProgress?.({ phase: 'reading', done: rowsRead });
  // A file where every row is refused (a wrong --format, a truncated download) must not wipe a gazetteer.
  if (places.length === 0 && refused.length > 0) return { source, rowsRead, placesAdded: 0, refused, skipped: false, kept: true };
  const placesAdded = await replacePlaces(db, source, places, {
    fingerprint,
    force: options.force,
    onBatch: (written) => options.onProgress?.({ phase: 'saving', done: written, total: places.length }),
  });
  // Another process starting at the same moment imported this very file first.
  if (placesAdded === 'already imported') return { source, rowsRead: 0, placesAdded: 0, refused: [], skipped: true, kept: false };
  return { source, rowsRead, placesAdded, refused, skipped: false, kept: false };
}

/** Imports the deployment file's gazetteers that changed since the last start. */
export async function importDeploymentGazetteers(db: Db, gazetteers: { path: string; format?: GazetteerFormat }[], log: Logger): Promise<void> {
  for (const g of gazetteers) {
    const summary = await importGazetteer(db, g.path, { format: g.format });
    if (summary.kept) log.error({ source: summary.source, refused: summary.refused.length }, 'gazetteer: every row refused, previous places kept');
    if (!summary.skipped) {
      log.info(
        { source: summary.source, rowsRead: summary.rowsRead, placesAdded: summary.placesAdded, refused: summary.refused.length },
        'gazetteer imported',
      );
      for (const r of summary.refused.slice(0, 20)) log.warn({ source: summary.source, line: r.line, reason: r.reason }, 'gazetteer row refused');
    }
  }
}
