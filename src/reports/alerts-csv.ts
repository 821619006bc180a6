import type { ExportedAlert } from '../db/alert-export.js';
import { csvLine as line } from './csv.js';

/**
 * The alerts export as CSV (RFC 4180: fields quoted when needed, CRLF line ends; UTF-8 with a
 * byte order mark so that spreadsheet programs read accents right). Columns reuse ACLED's names
 * where the meaning is the same, then Tamtam's; each with its HXL hashtag for the optional second row.
 */
const columns: [name: string, hxl: string, value: (a: ExportedAlert) => string | number | null][] = [
  ['event_date', '#date+reported', (a) => a.eventDate],
  ['admin1', '#adm1+name', (a) => a.admin1],
  ['admin2', '#adm2+name', (a) => a.admin2],
  ['admin3', '#adm3+name', (a) => a.admin3],
  ['location', '#loc+name', (a) => a.location],
  ['latitude', '#geo+lat', (a) => a.latitude],
  ['longitude', '#geo+lon', (a) => a.longitude],
  ['notes', '#description', (a) => notesOf(a.text)],
  ['ref', '#event+code', (a) => a.ref],
  ['office', '#org+name', (a) => a.office],
  ['threat_type', '#event+type', (a) => a.threatType],
  ['other_threat_types', '#event+type+other', (a) => a.otherThreatTypes.join(';')],
  ['urgency', '#event+urgency', (a) => a.urgency],
  ['severity', '#severity', (a) => a.severity],
  ['status', '#status', (a) => a.status],
  ['outcomes', '#status+outcome', (a) => a.outcomes.join(';')],
  ['time_to_notify', '#indicator+num+time_to_notify', (a) => a.timeToNotify],
  ['time_to_acknowledge', '#indicator+num+time_to_acknowledge', (a) => a.timeToAcknowledge],
  ['time_to_first_reply', '#indicator+num+time_to_first_reply', (a) => a.timeToFirstReply],
  ['time_to_respond', '#indicator+num+time_to_respond', (a) => a.timeToRespond],
  ['time_to_close', '#indicator+num+time_to_close', (a) => a.timeToClose],
  ['escalation_level', '#indicator+num+escalation_level', (a) => a.escalationLevel],
  ['reporter', '#meta+reporter', (a) => a.reporter],
  ['language', '#meta+lang', (a) => a.language],
  ['reports', '#indicator+num+reports', (a) => a.reports],
];

/** A run of at least 7 digits, possibly with +, spaces, dots, dashes or brackets between them. */
const phoneLike = /\+?\(?\d(?:[\s().-]{0,3}\d){6,}/g;

/**
 * The reporter's first message as the `notes` column: anything that looks like a phone number is
 * replaced by `[phone]` (conservatively: a date written 2026-11-01 goes too), and a leading
 * = + - @ is quoted with an apostrophe so that a spreadsheet does not run it as a formula.
 */
export function notesOf(text: string): string {
  const redacted = text.replace(phoneLike, '[phone]');
  return /^[=+\-@\t\r]/.test(redacted) ? `'${redacted}` : redacted;
}

/** The byte order mark, the header row and, with `hxl`, the row of HXL hashtags. */
export function alertsCsvHead({ hxl }: { hxl: boolean }): string {
  return `\uFEFF${line(columns.map(([name]) => name))}${hxl ? line(columns.map(([, tag]) => tag)) : ''}`;
}

/** Rows of alerts as CSV text. */
export function alertsCsvRows(alerts: ExportedAlert[]): string {
  return alerts.map((a) => line(columns.map(([, , value]) => value(a)))).join('');
}

/** The whole export as a stream of text chunks: the head, then one chunk per page of alerts. */
export async function* alertsCsv(
  pages: AsyncIterable<ExportedAlert[]>,
  options: { hxl: boolean; onPage?: (count: number) => void },
): AsyncGenerator<string> {
  yield alertsCsvHead(options);
  for await (const page of pages) {
    options.onPage?.(page.length);
    yield alertsCsvRows(page);
  }
}
