import { parsePhoneNumberWithError, ParseError, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';

/** How the number was addressed: plain SMS, or WhatsApp through Twilio (`whatsapp:+…`). */
export type PhoneChannelHint = 'sms' | 'whatsapp';

/** A phone number in E.164 with what was learnt while parsing it. */
export interface NormalisedPhone {
  /** `+` country code and national number, digits only: `+22376000001`. */
  e164: string;
  channelHint: PhoneChannelHint;
  /** ISO 3166 region, when the number belongs to one (not for e.g. `+882` satellite numbers). */
  country?: CountryCode;
  /** The address to store and send to: `e164`, or `whatsapp:` + `e164`. */
  address: string;
}

/** Result of {@link normalisePhone}: the number, or a one-line reason it was refused. */
export type PhoneResult = { ok: true; phone: NormalisedPhone } | { ok: false; reason: string };

/** Options for {@link normalisePhone}. */
export interface PhoneOptions {
  /**
   * Region assumed for numbers typed without a country code (`76 00 00 01` in Mali, `0812345678`
   * in DR Congo). Default: none, so such numbers are refused.
   */
  defaultRegion?: CountryCode;
}

const PARSE_REASONS: Record<string, string> = {
  INVALID_COUNTRY: 'unknown country calling code',
  TOO_SHORT: 'too short to be a phone number',
  TOO_LONG: 'too long to be a phone number',
  NOT_A_NUMBER: 'not a phone number',
  INVALID_LENGTH: 'wrong number of digits',
};

const refuse = (reason: string): PhoneResult => ({ ok: false, reason });

/**
 * Normalises a phone number as people and providers write it (`+223 76 00 00 01`,
 * `00223-76-00-00-01`, `(0)81 234 5678`, `whatsapp:+243812345678`, `tel:+236…`) to E.164,
 * refusing anything that is not a valid number for its country with a reason fit for a log line
 * or an operator (never echoing the number itself).
 */
export function normalisePhone(input: string, options: PhoneOptions = {}): PhoneResult {
  // NFKC folds full-width digits and "+"; Arabic-Indic digits (٠-٩, ۰-۹) need folding by hand.
  let text = input
    .normalize('NFKC')
    .replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.codePointAt(0) ?? 0) & 0xf))
    .trim();
  let channelHint: PhoneChannelHint = 'sms';
  if (/^whatsapp:/i.test(text)) {
    channelHint = 'whatsapp';
    text = text.slice('whatsapp:'.length).trim();
  }
  text = text.replace(/^tel:/i, '');
  if (text === '') return refuse('empty');
  if (/\p{L}/u.test(text)) return refuse('contains letters: a sender name is not a phone number');
  const stray = /[^\d\s+\-.()/]/u.exec(text);
  if (stray) return refuse(`unexpected character "${stray[0]}"`);
  if (text.lastIndexOf('+') > 0) return refuse('"+" may only start the number');
  // Most of the world dials out with 00; treat it as "+" even without a default region.
  if (text.startsWith('00')) text = '+' + text.slice(2);
  if (!text.startsWith('+') && !options.defaultRegion) {
    return refuse('no country code and no default region to assume');
  }

  let parsed;
  try {
    parsed = parsePhoneNumberWithError(text, options.defaultRegion);
  } catch (error) {
    if (error instanceof ParseError) return refuse(PARSE_REASONS[error.message] ?? 'not a phone number');
    throw error;
  }
  if (!parsed.isValid()) {
    const where = parsed.country ?? `+${parsed.countryCallingCode}`;
    const length = validatePhoneNumberLength(parsed.number, parsed.country);
    if (length === 'TOO_SHORT') return refuse(`too short for ${where}`);
    if (length === 'TOO_LONG') return refuse(`too long for ${where}`);
    return refuse(`not a valid number for ${where}`);
  }
  const e164 = parsed.number;
  return {
    ok: true,
    phone: {
      e164,
      channelHint,
      ...(parsed.country ? { country: parsed.country } : {}),
      address: channelHint === 'whatsapp' ? `whatsapp:${e164}` : e164,
    },
  };
}
