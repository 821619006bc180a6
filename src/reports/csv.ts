/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, ended by CRLF. */
export const csvLine = (fields: (string | number | null | undefined)[]) => `${fields.map(field).join(',')}\r\n`;

/** Records sharing their keys as CSV text with a header row (no BOM). */
export function recordsCsv(records: Record<string, string | number | null>[]): string {
  const head = Object.keys(records[0] ?? {});
  return csvLine(head) + records.map((r) => csvLine(head.map((k) => r[k]))).join('');
}
