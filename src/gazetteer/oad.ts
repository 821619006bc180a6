import type { CsvRecord } from './csv.js';
import { parseCoordinates, type GazetteerRow, type PlaceInput } from './rows.js';

interface OadRow {
  line: number;
  id: string;
  level: number;
  name: string;
  altNames: string[];
  code: string;
  parentId: string;
  lat: number | null;
  lon: number | null;
}

/**
 * Reads Open Admin Data `all-flat.csv` rows and gives each unit its admin1/admin2/admin3 names by
 * walking parent ids inside the file. A unit is listed at its own level too (the cercle Konna has
 * admin1 "Mopti", admin2 "Konna"), so an office area naming Konna covers it.
 * Some rows lack `parent.id`; their parent is then inferred from the id (ML-A020801 → ML0208).
 */
export async function* parseOpenAdminData(
  columns: readonly string[],
  records: AsyncIterable<CsvRecord>,
  source?: string,
): AsyncGenerator<GazetteerRow> {
  const at = (name: string) => columns.indexOf(name);
  const col = {
    id: at('id'),
    level: at('level'),
    local: at('name.local'),
    en: at('name.en'),
    code: at('code.id'),
    parent: at('parent.id'),
    lat: at('geo.lat'),
    lon: at('geo.lon'),
  };
  const rows = new Map<string, OadRow>();
  for await (const record of records) {
    const { line, fields } = record;
    if (fields.every((f) => f.trim() === '')) continue;
    if (record.unterminated) {
      yield { refused: { line, reason: 'unterminated quoted field' } };
      continue;
    }
    if (fields.length !== columns.length) {
      yield { refused: { line, reason: `expected ${columns.length} columns, found ${fields.length}` } };
      continue;
    }
    const get = (i: number) => (i < 0 ? '' : (fields[i] ?? '').trim());
    const id = get(col.id);
    const name = get(col.local) || get(col.en);
    if (id === '') {
      yield { refused: { line, reason: 'missing id' } };
      continue;
    }
    if (name === '') {
      yield { refused: { line, reason: 'missing name' } };
      continue;
    }
    if (rows.has(id)) {
      yield { refused: { line, reason: `duplicate id "${id}"` } };
      continue;
    }
    const level = Number(get(col.level));
    if (!Number.isInteger(level) || level < 1) {
      yield { refused: { line, reason: `bad level "${get(col.level)}"` } };
      continue;
    }
    const coordinates = parseCoordinates(get(col.lat), get(col.lon));
    if (typeof coordinates === 'string') {
      yield { refused: { line, reason: coordinates } };
      continue;
    }
    const english = get(col.en);
    rows.set(id, {
      line,
      id,
      level,
      name,
      altNames: english !== '' && english !== name ? [english] : [],
      code: get(col.code) || id,
      parentId: get(col.parent),
      ...coordinates,
    });
  }
  for (const row of rows.values()) {
    const chain = ancestry(row, rows);
    if (typeof chain === 'string') {
      yield { refused: { line: row.line, reason: chain } };
      continue;
    }
    const admins = [chain[0], chain[1], chain[2]];
    const place: PlaceInput = {
      name: row.name,
      altNames: row.altNames,
      admin1: admins[0]?.name ?? null,
      admin2: admins[1]?.name ?? null,
      admin3: admins[2]?.name ?? null,
      lat: row.lat,
      lon: row.lon,
      code: row.code,
      level: row.level,
      adminCodes: [admins[0]?.code ?? null, admins[1]?.code ?? null, admins[2]?.code ?? null],
    };
    if (source !== undefined) place.source = source;
    yield { place };
  }
}

/** The row's chain from the top-level unit down to the row itself, or a reason it cannot be built. */
function ancestry(row: OadRow, rows: Map<string, OadRow>): OadRow[] | string {
  const chain: OadRow[] = [row];
  let current = row;
  while (current.level > 1) {
    const parent = rows.get(current.parentId) ?? inferParent(current, rows);
    if (!parent) return `parent "${current.parentId || '?'}" of "${current.name}" not found in the file`;
    if (chain.includes(parent) || parent.level >= current.level) return `parent cycle at "${current.id}"`;
    chain.unshift(parent);
    current = parent;
  }
  return chain;
}

function inferParent(row: OadRow, rows: Map<string, OadRow>): OadRow | undefined {
  let id = row.id.replace(/-[A-Z](?=\d)/, '');
  while (id.length > 2) {
    id = id.slice(0, -2);
    const parent = rows.get(id);
    if (parent && parent.level < row.level) return parent;
  }
  return undefined;
}
