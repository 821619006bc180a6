/**
 * SMS encoding and segment counting per 3GPP TS 23.038 / 23.040, the way handsets and Twilio count:
 * GSM-7 when every character is in the default alphabet or its extension table, UCS-2 otherwise.
 */

/** GSM 03.38 default alphabet (one septet each). ESC (0x1B) is left out: it only prefixes the extension table. */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

/** GSM 03.38 extension table: ESC + character, so two septets each. */
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

/** Encoding an SMS body will be sent with. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** Capacity of a single-part message and of each part of a concatenated one (UDH takes the difference). */
export const SEGMENT_CAPACITY = {
  'GSM-7': { single: 160, multipart: 153 },
  'UCS-2': { single: 70, multipart: 67 },
} as const satisfies Record<SmsEncoding, { single: number; multipart: number }>;

/** How an SMS body will travel. */
export interface SmsAnalysis {
  encoding: SmsEncoding;
  /** Number of SMS parts billed and delivered; an empty body is still one message. */
  segments: number;
  /** Length in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** Units per part at this length (single-part or multipart capacity). */
  perSegment: number;
  /** Units still free in the last part before another part is needed. */
  remainingInLastSegment: number;
}

/** Septets a character takes in GSM-7, or undefined when it is not in the GSM-7 alphabet. */
function gsm7Septets(char: string): 1 | 2 | undefined {
  if (GSM7_BASIC.has(char)) return 1;
  if (GSM7_EXTENSION.has(char)) return 2;
  return undefined;
}

/** The encoding `text` needs: GSM-7 if every character is in the GSM-7 alphabet, else UCS-2. */
export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (gsm7Septets(char) === undefined) return 'UCS-2';
  return 'GSM-7';
}

/** Size of each indivisible piece of `text` in its encoding (an escape pair or a surrogate pair stays whole). */
function unitSizes(text: string, encoding: SmsEncoding): number[] {
  const sizes: number[] = [];
  // `for…of` iterates code points, so a surrogate pair arrives as one 2-unit string.
  for (const char of text) sizes.push(encoding === 'GSM-7' ? (gsm7Septets(char) ?? 2) : char.length);
  return sizes;
}

/**
 * Splits `text` into the parts a handset would send, never splitting a GSM-7 escape sequence or a
 * UTF-16 surrogate pair across two parts. Returns `['']` for an empty body.
 */
export function splitSegments(text: string): string[] {
  const encoding = smsEncoding(text);
  const chars = Array.from(text);
  const sizes = unitSizes(text, encoding);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const { single, multipart } = SEGMENT_CAPACITY[encoding];
  if (total <= single) return [text];

  const parts: string[] = [];
  let current = '';
  let used = 0;
  chars.forEach((char, i) => {
    const size = sizes[i] ?? 1;
    if (used + size > multipart) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += char;
    used += size;
  });
  parts.push(current);
  return parts;
}

/** Encoding, part count and remaining room for an SMS body. */
export function analyseSms(text: string): SmsAnalysis {
  const encoding = smsEncoding(text);
  const units = unitSizes(text, encoding).reduce((sum, size) => sum + size, 0);
  const parts = splitSegments(text);
  const { single, multipart } = SEGMENT_CAPACITY[encoding];
  const perSegment = parts.length === 1 ? single : multipart;
  const last = parts[parts.length - 1] ?? '';
  const lastUnits = unitSizes(last, encoding).reduce((sum, size) => sum + size, 0);
  return { encoding, segments: parts.length, units, perSegment, remainingInLastSegment: perSegment - lastUnits };
}

/** Number of SMS parts `text` is sent as. */
export function countSegments(text: string): number {
  return splitSegments(text).length;
}

/** True when `text` goes out as a single SMS (≤160 GSM-7 septets or ≤70 UCS-2 code units). */
export function fitsOneSegment(text: string): boolean {
  return countSegments(text) === 1;
}

/** A character that forces a message into UCS-2, with its first position (UTF-16 index). */
export interface Ucs2Culprit {
  char: string;
  index: number;
  /** Unicode code point as `U+00E7`, to tell look-alikes apart in a template review. */
  codePoint: string;
}

/**
 * Distinct characters in `text` that are outside the GSM-7 alphabet, in order of first appearance.
 * Empty when the text is GSM-7. Typical culprits in French: `ç ê â î ô û ë ï œ`, typographic
 * apostrophes and quotes (`’ « »`), non-breaking spaces.
 */
export function ucs2Culprits(text: string): Ucs2Culprit[] {
  const seen = new Map<string, Ucs2Culprit>();
  let index = 0;
  for (const char of text) {
    if (gsm7Septets(char) === undefined && !seen.has(char)) {
      const codePoint = 'U+' + (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      seen.set(char, { char, index, codePoint });
    }
    index += char.length;
  }
  return [...seen.values()];
}
