import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CountryCode } from 'libphonenumber-js';
import { normalisePhone } from '../../src/channels/phone.js';

describe('normalisePhone', () => {
  it.each([
    // [input, default region, E.164, country]
    ['+22376000001', undefined, '+22376000001', 'ML'],
    ['+223 76 00 00 01', undefined, '+22376000001', 'ML'],
    ['76 00 00 01', 'ML', '+22376000001', 'ML'],
    ['00223 76-00-00-01', undefined, '+22376000001', 'ML'],
    ['0812345678', 'CD', '+243812345678', 'CD'],
    ['081 234 5678', 'CD', '+243812345678', 'CD'],
    ['+243 (0)81 234 5678', undefined, '+243812345678', 'CD'],
    ['72.12.34.56', 'CF', '+23672123456', 'CF'],
    ['0922 123 456', 'SS', '+211922123456', 'SS'],
    ['+33 6 12 34 56 78', 'ML', '+33612345678', 'FR'],
    ['tel:+22376000001', undefined, '+22376000001', 'ML'],
    ['\u00a0+223\u00a076\u00a000\u00a000\u00a001 ', undefined, '+22376000001', 'ML'],
    ['＋２２３７６０００００１', undefined, '+22376000001', 'ML'],
    ['+٢١١ ٩٢٢ ١٢٣ ٤٥٦', undefined, '+211922123456', 'SS'],
  ] as const)('%j (%s) -> %s', (input, region, e164, country) => {
    const result = normalisePhone(input, region ? { defaultRegion: region } : {});
    expect(result).toEqual({ ok: true, phone: { e164, country, channelHint: 'sms', address: e164 } });
  });

  it('keeps whatsapp: as a channel hint', () => {
    expect(normalisePhone('whatsapp:+243 81 234 5678')).toEqual({
      ok: true,
      phone: { e164: '+243812345678', country: 'CD', channelHint: 'whatsapp', address: 'whatsapp:+243812345678' },
    });
    expect(normalisePhone('WhatsApp:76000001', { defaultRegion: 'ML' })).toMatchObject({ ok: true, phone: { address: 'whatsapp:+22376000001' } });
  });

  it.each([
    ['', undefined, 'empty'],
    ['whatsapp:', undefined, 'empty'],
    ['Orange', undefined, 'contains letters: a sender name is not a phone number'],
    ['1-800-FLOWERS', 'US', 'contains letters: a sender name is not a phone number'],
    ['+223 76#00', undefined, 'unexpected character "#"'],
    ['76+000001', 'ML', '"+" may only start the number'],
    ['76 00 00 01', undefined, 'no country code and no default region to assume'],
    ['+999 1234567', undefined, 'unknown country calling code'],
    ['+223 7600', undefined, 'too short for ML'],
    ['+223 76 00 00 01 23 45', undefined, 'too long for ML'],
    ['+', undefined, 'not a phone number'],
  ] as const)('refuses %j: %s', (input, region, reason) => {
    expect(normalisePhone(input, region ? { defaultRegion: region } : {})).toEqual({ ok: false, reason });
  });

  it('never echoes the number in a refusal', () => {
    const result = normalisePhone('+223 7612', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toMatch(/7612/);
  });

  const regions: CountryCode[] = ['ML', 'CD', 'CF', 'SS', 'FR', 'US'];

  it('property: never throws, and anything accepted is E.164 and stable under re-normalisation', () => {
    const noisy = fc.string({ unit: fc.constantFrom(...'0123456789 +-.()/'.split('')), maxLength: 20 });
    fc.assert(
      fc.property(fc.oneof(noisy, fc.string()), fc.option(fc.constantFrom(...regions), { nil: undefined }), (input, region) => {
        const result = normalisePhone(input, region ? { defaultRegion: region } : {});
        if (!result.ok) return result.reason.length > 0;
        const again = normalisePhone(result.phone.address);
        return /^\+[1-9]\d{6,14}$/.test(result.phone.e164) && again.ok && again.phone.e164 === result.phone.e164;
      }),
      { numRuns: 500 },
    );
  });

  it('property: formatting noise does not change the result', () => {
    const malianMobile = fc.tuple(fc.constantFrom('6', '7', '8', '9'), fc.stringMatching(/^\d{7}$/)).map(([a, b]) => a + b);
    const separator = fc.constantFrom('', ' ', '-', '.', '\u00a0');
    fc.assert(
      fc.property(malianMobile, separator, (digits, sep) => {
        const spaced = digits.replace(/(\d{2})(?=\d)/g, `$1${sep}`);
        const plain = normalisePhone(`+223${digits}`);
        const typed = normalisePhone(spaced, { defaultRegion: 'ML' });
        const dialled = normalisePhone(`00223${sep}${spaced}`);
        return JSON.stringify(plain) === JSON.stringify(typed) && JSON.stringify(plain) === JSON.stringify(dialled);
      }),
    );
  });
});
