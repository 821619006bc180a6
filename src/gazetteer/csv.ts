/**
 * A small RFC 4180 record reader: quoted fields, doubled quotes, separators and line breaks inside
 * quotes. Reads line by line, so a 50,000-row file never has to be held as one string.
 */

/** One CSV record and the (1-based) line of the file it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** Set when the record's quotes were never closed; `fields` then holds what was read. */
  unterminated?: boolean;
}

/** Splits an async sequence of text lines (without line breaks) into CSV records. */
export async function* csvRecords(lines: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let lineNumber = 0;
  let pending: { line: number; text: string } | null = null;
  for await (const raw of lines) {
    lineNumber += 1;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const joined: string = pending ? `${pending.text}\n${text}` : text;
    const start: number = pending ? pending.line : lineNumber;
    const fields = splitRecord(joined);
    if (fields === null) {
      pending = { line: start, text: joined };
      continue;
    }
    pending = null;
    yield { line: start, fields };
  }
  if (pending) yield { line: pending.line, fields: splitRecord(`${pending.text}"`) ?? [], unterminated: true };
}

/** Splits one record; returns null when a quoted field is still open at the end. */
export function splitRecord(text: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
    i += 1;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}
