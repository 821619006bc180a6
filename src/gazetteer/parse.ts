import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { csvRecords, type CsvRecord } from './csv.js';
import { parseOpenAdminData } from './oad.js';
import { parseCoordinates, type GazetteerRow, type PlaceInput } from './rows.js';

export type { GazetteerRow, PlaceInput, RefusedRow } from './rows.js';

/** The gazetteer CSV layouts Tamtam reads. */
export const gazetteerFormats = ['oad', 'plain'] as const;
/** `oad`: Open Admin Data `all-flat.csv`; `plain`: `name,alt_names,admin1,admin2,admin3,lat,lon`. */
export type GazetteerFormat = (typeof gazetteerFormats)[number];

/** Options for `parseGazetteer`. */
export interface ParseOptions {
  /** Overrides the format detected from the header. */
  format?: GazetteerFormat;
  /** Recorded on every place as `source` (e.g. the file name). */
  source?: string;
}

const plainColumns = ['name', 'alt_names', 'admin1', 'admin2', 'admin3', 'lat', 'lon'];

/**
 * Parses a gazetteer CSV. The plain format is streamed row by row; Open Admin Data rows are held
 * until the end of the file because a row's parents may come after it.
 */
export async function* parseGazetteer(input: Readable | AsyncIterable<string>, options: ParseOptions = {}): AsyncGenerator<GazetteerRow> {
  const lines = isReadable(input) ? createInterface({ input, crlfDelay: Infinity }) : input;
  const records = csvRecords(lines);
  const header = await readHeader(records);
  if (!header) return;
  const columns = header.fields.map((f) =>
    f
      .trim()
      .replace(/^\uFEFF/, '')
      .toLowerCase(),
  );
  const format = options.format ?? detectFormat(columns);
  if (format === undefined) {
    yield {
      refused: { line: header.line, reason: `unknown header "${header.fields.join(',')}": expected Open Admin Data or ${plainColumns.join(',')}` },
    };
    return;
  }
  if (format === 'oad') {
    yield* parseOpenAdminData(columns, records, options.source);
    return;
  }
  const index = plainColumns.map((name, position) => (columns.includes(name) ? columns.indexOf(name) : position));
  for await (const record of records) {
    if (record.fields.every((f) => f.trim() === '')) continue;
    yield plainRow(record, index, columns.length, options.source);
  }
}

/** Skips comment lines (`# …`) and blank lines; leaves `records` open for the data rows. */
async function readHeader(records: AsyncGenerator<CsvRecord>): Promise<CsvRecord | undefined> {
  for (;;) {
    const next = await records.next();
    if (next.done) return undefined;
    const { fields } = next.value;
    if ((fields[0] ?? '').trim().startsWith('#') || fields.every((f) => f.trim() === '')) continue;
    return next.value;
  }
}

/** Parses a gazetteer file from disk (see `parseGazetteer`). */
export function readGazetteerFile(path: string, options: ParseOptions = {}): AsyncGenerator<GazetteerRow> {
  return parseGazetteer(createReadStream(path, { encoding: 'utf8' }), { source: path, ...options });
}

/**
 * The format of a gazetteer file, from its header row (comment and blank lines skipped);
 * undefined when the header is neither layout.
 */
export async function detectFileFormat(path: string): Promise<GazetteerFormat | undefined> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    const header = await readHeader(csvRecords(createInterface({ input: stream, crlfDelay: Infinity })));
    return header
      ? detectFormat(
          header.fields.map((f) =>
            f
              .trim()
              .replace(/^\uFEFF/, '')
              .toLowerCase(),
          ),
        )
      : undefined;
  } finally {
    stream.destroy();
  }
}

/** Detects the format from the lower-cased header columns. */
export function detectFormat(columns: readonly string[]): GazetteerFormat | undefined {
  if (columns.includes('name.local') && columns.includes('id')) return 'oad';
  if (columns[0] === 'name' || columns.includes('alt_names')) return 'plain';
  return undefined;
}

function plainRow(record: CsvRecord, index: number[], width: number, source?: string): GazetteerRow {
  const { line, fields } = record;
  if (record.unterminated) return { refused: { line, reason: 'unterminated quoted field' } };
  if (fields.length !== width) return { refused: { line, reason: `expected ${width} columns, found ${fields.length}` } };
  const get = (column: number) => (fields[index[column] as number] ?? '').trim();
  const name = get(0);
  if (name === '') return { refused: { line, reason: 'missing name' } };
  const coordinates = parseCoordinates(get(5), get(6));
  if (typeof coordinates === 'string') return { refused: { line, reason: coordinates } };
  const altNames = get(1)
    .split('|')
    .map((n) => n.trim())
    .filter((n) => n !== '' && n !== name);
  const admins = [get(2), get(3), get(4)].map((a) => (a === '' ? null : a));
  const place: PlaceInput = {
    name,
    altNames,
    admin1: admins[0] ?? null,
    admin2: admins[1] ?? null,
    admin3: admins[2] ?? null,
    ...coordinates,
  };
  if (source !== undefined) place.source = source;
  return { place };
}

function isReadable(input: Readable | AsyncIterable<string>): input is Readable {
  return typeof (input as Readable).pipe === 'function';
}
