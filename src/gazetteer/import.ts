import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../db/index.js';
import { getSetting, replacePlaces, type PlaceRowInput } from '../db/places.js';
import { readGazetteerFile, type GazetteerFormat } from './parse.js';

export interface ImportSummary {
  source: string;
  rowsRead: number;
  placesAdded: number;
  refused: { line: number; reason: string }[];
  skipped: boolean;
}

/** Imports one gazetteer file, replacing the places it brought last time. Unchanged files are skipped unless `force`. */
export async function importGazetteer(db: Db, file: string, options: { format?: GazetteerFormat; force?: boolean; onProgress?: (rows: number) => void } = {}): Promise<ImportSummary> {
  const source = path.basename(file);
  const fingerprint = createHash('sha256').update(await readFile(file)).digest('hex');
  if (!options.force && (await getSetting<string>(db, `gazetteer:${source}`)) === fingerprint) {
    return { source, rowsRead: 0, placesAdded: 0, refused: [], skipped: true };
  }
  const places: PlaceRowInput[] = [];
  const refused: ImportSummary['refused'] = [];
  let rowsRead = 0;
  for await (const row of readGazetteerFile(file, { format: options.format, source })) {
    rowsRead++;
    if ('place' in row) {
      const p = row.place;
      places.push({
        name: p.name,
        altNames: p.altNames,
        admin1: p.admin1,
        admin2: p.admin2,
        admin3: p.admin3,
        lat: p.lat,
        lon: p.lon,
        code: p.code ?? null,
        level: p.level ?? null,
        adminCodes: p.adminCodes ? p.adminCodes.map((c) => c ?? '') : null,
      });
    } else refused.push(row.refused);
    if (rowsRead % 5_000 === 0) options.onProgress?.(rowsRead);
  }
  const placesAdded = await replacePlaces(db, source, places, fingerprint);
  return { source, rowsRead, placesAdded, refused, skipped: false };
}

/** Imports the deployment file's gazetteers that changed since the last start. */
export async function importDeploymentGazetteers(db: Db, gazetteers: { path: string; format?: GazetteerFormat }[], log: Logger): Promise<void> {
  for (const g of gazetteers) {
    const summary = await importGazetteer(db, g.path, { format: g.format });
    if (!summary.skipped) {
      log.info({ source: summary.source, rowsRead: summary.rowsRead, placesAdded: summary.placesAdded, refused: summary.refused.length }, 'gazetteer imported');
      for (const r of summary.refused.slice(0, 20)) log.warn({ source: summary.source, line: r.line, reason: r.reason }, 'gazetteer row refused');
    }
  }
}
