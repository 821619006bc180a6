import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { PlaceInput } from '../db/places.js';

/** Gazetteer formats: Open Admin Data `all-flat.csv`, or the plain `name,alt_names,admin1,admin2,admin3,lat,lon`. */
export type GazetteerFormat = 'oad' | 'plain';

export type GazetteerRow = { place: PlaceInput } | { refused: { line: number; reason: string } };

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (!quoted && ch === '"' && field === '') {
      quoted = true;
    } else if (!quoted && ch === ',') {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

export function detectFormat(header: string[]): GazetteerFormat | null {
  if (header.includes('name.local') && header.includes('parent.id')) return 'oad';
  if (header[0] === 'name' && header.includes('lat') && header.includes('lon')) return 'plain';
  return null;
}

function coordinate(text: string | undefined, max: number): number | null | 'bad' {
  if (!text) return null;
  const n = Number(text);
  return Number.isFinite(n) && Math.abs(n) <= max ? n : 'bad';
}

/** Reads a gazetteer file; every row is either a place or a refusal with its reason. */
export async function* readGazetteer(file: string, format?: GazetteerFormat): AsyncGenerator<GazetteerRow> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header: string[] | null = null;
  let kind: GazetteerFormat | null = format ?? null;
  let lineNo = 0;
  const oadRows: { line: number; f: Record<string, string> }[] = [];
  for await (const raw of lines) {
    lineNo++;
    const line = raw.replace(/^\uFEFF/, '');
    if (!line.trim() || line.startsWith('#')) continue;
    const fields = splitCsvLine(line);
    if (!header) {
      header = fields;
      kind ??= detectFormat(header);
      if (!kind) throw new Error(`${file}: unknown gazetteer format (header: ${line.slice(0, 80)})`);
      continue;
    }
    if (fields.length !== header.length) {
      yield { refused: { line: lineNo, reason: `expected ${header.length} columns, found ${fields.length}` } };
      continue;
    }
    const f = Object.fromEntries(header.map((h, i) => [h, fields[i] ?? '']));
    if (kind === 'oad') {
      oadRows.push({ line: lineNo, f });
      continue;
    }
    yield plainRow(f, lineNo);
  }
  if (kind === 'oad') yield* oadPlaces(oadRows);
}

function plainRow(f: Record<string, string>, line: number): GazetteerRow {
  if (!f.name) return { refused: { line, reason: 'name is empty' } };
  const lat = coordinate(f.lat, 90);
  const lon = coordinate(f.lon, 180);
  if (lat === 'bad' || lon === 'bad') return { refused: { line, reason: `bad coordinates "${f.lat},${f.lon}"` } };
  return {
    place: {
      name: f.name,
      altNames: (f.alt_names ?? '').split('|').map((s) => s.trim()).filter(Boolean),
      admin1: f.admin1 || null,
      admin2: f.admin2 || null,
      admin3: f.admin3 || null,
      lat,
      lon,
      code: null,
      level: null,
    },
  };
}

/** Open Admin Data rows name only their parent: walk the parents to get each unit's admin chain. */
function* oadPlaces(rows: { line: number; f: Record<string, string> }[]): Generator<GazetteerRow> {
  const byId = new Map(rows.map((r) => [r.f.id!, r.f]));
  for (const { line, f } of rows) {
    const name = f['name.local'] || f['name.en'];
    if (!name) {
      yield { refused: { line, reason: 'name is empty' } };
      continue;
    }
    const lat = coordinate(f['geo.lat'], 90);
    const lon = coordinate(f['geo.lon'], 180);
    if (lat === 'bad' || lon === 'bad') {
      yield { refused: { line, reason: `bad coordinates "${f['geo.lat']},${f['geo.lon']}"` } };
      continue;
    }
    const level = Number(f.level) || null;
    const chain: Record<number, string> = {};
    for (let unit: Record<string, string> | undefined = f, hops = 0; unit && hops < 6; unit = byId.get(unit['parent.id'] ?? ''), hops++) {
      const l = Number(unit.level);
      if (l) chain[l] = unit['name.local'] || unit['name.en'] || '';
    }
    const alt = [f['name.en']].filter((n): n is string => Boolean(n) && n !== name);
    yield {
      place: { name, altNames: alt, admin1: chain[1] ?? null, admin2: chain[2] ?? null, admin3: chain[3] ?? null, lat, lon, code: f['code.id'] || f.id || null, level },
    };
  }
}
