import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyseSms, countSegments, fitsOneSegment, smsEncoding, splitSegments, ucs2Culprits } from '../../src/channels/sms-segments.js';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXT = '\f^{}\\[~]|€';
const gsmChar = fc.constantFrom(...Array.from(GSM_BASIC + GSM_EXT));
const gsmString = (maxLength: number) => fc.array(gsmChar, { maxLength }).map((cs) => cs.join(''));

describe('SMS encoding and segments', () => {
  it.each([
    // [description, text, encoding, segments]
    ['English warning', 'Armed men seen near Ogossagou well this morning, about 30 on motorbikes. Please send help.', 'GSM-7', 1],
    ['French, only GSM accents', 'Des hommes armés sont arrivés à Sobane ce matin. Les femmes ont fui vers la brousse.', 'GSM-7', 1],
    ['French with ç', 'Alerte reçue. Réf A7K3Q. Un agent vous rappellera.', 'UCS-2', 1],
    ['French with ê', 'Fête interrompue, tirs entendus au marché de Bankass', 'UCS-2', 1],
    ['typographic apostrophe', 'L’attaque a eu lieu hier soir', 'UCS-2', 1],
    ['Arabic', 'رجال مسلحون في السوق الآن، الناس يهربون', 'UCS-2', 1],
    ['Arabic, 71 code units', 'ا'.repeat(71), 'UCS-2', 2],
    ['Sango-like text in GSM', 'Azo ti bira asi na kodro ni. Ala mu maboko!', 'GSM-7', 1],
    ['exactly 160 GSM', 'a'.repeat(160), 'GSM-7', 1],
    ['161 GSM', 'a'.repeat(161), 'GSM-7', 2],
    ['306 GSM', 'a'.repeat(306), 'GSM-7', 2],
    ['307 GSM', 'a'.repeat(307), 'GSM-7', 3],
    ['80 euro signs (160 septets)', '€'.repeat(80), 'GSM-7', 1],
    ['81 euro signs', '€'.repeat(81), 'GSM-7', 2],
    ['exactly 70 UCS-2', 'ç'.repeat(70), 'UCS-2', 1],
    ['134 UCS-2', 'ç'.repeat(134), 'UCS-2', 2],
    ['135 UCS-2', 'ç'.repeat(135), 'UCS-2', 3],
    ['35 emoji are 70 code units', '🔥'.repeat(35), 'UCS-2', 1],
    ['empty body', '', 'GSM-7', 1],
  ] as const)('%s', (_name, text, encoding, segments) => {
    expect(smsEncoding(text)).toBe(encoding);
    expect(countSegments(text)).toBe(segments);
    expect(fitsOneSegment(text)).toBe(segments === 1);
  });

  it('never splits an escape sequence: 152 letters then € starts the next part', () => {
    const parts = splitSegments('a'.repeat(152) + '€' + 'b'.repeat(10));
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe('a'.repeat(152));
    expect(parts[1]?.startsWith('€')).toBe(true);
  });

  it('never splits a surrogate pair: 66 units then an emoji starts the next part', () => {
    const parts = splitSegments('ç'.repeat(66) + '🙏' + 'x'.repeat(10));
    expect(parts[0]).toBe('ç'.repeat(66));
    expect(parts[1]).toBe('🙏' + 'x'.repeat(10));
  });

  it('reports remaining room', () => {
    expect(analyseSms('Bonjour')).toMatchObject({ encoding: 'GSM-7', units: 7, perSegment: 160, remainingInLastSegment: 153 });
    expect(analyseSms('a'.repeat(200))).toMatchObject({ segments: 2, perSegment: 153, remainingInLastSegment: 153 - 47 });
  });

  it('names the characters that force UCS-2, with their code points', () => {
    expect(ucs2Culprits('Alerte reçue – merci, ça ira')).toEqual([
      { char: 'ç', index: 9, codePoint: 'U+00E7' },
      { char: '–', index: 13, codePoint: 'U+2013' },
    ]);
    expect(ucs2Culprits('Alerte recue. Ref A7K3Q')).toEqual([]);
    expect(ucs2Culprits('a😀')[0]).toEqual({ char: '😀', index: 1, codePoint: 'U+1F600' });
  });

  it('property: any GSM-7 string of at most 160 septets is one segment', () => {
    fc.assert(
      fc.property(gsmString(160), (text) => {
        fc.pre(analyseSms(text).units <= 160);
        expect(smsEncoding(text)).toBe('GSM-7');
        expect(fitsOneSegment(text)).toBe(true);
      }),
    );
  });

  it('property: segment count never decreases when text is appended', () => {
    const anyText = fc.oneof(gsmString(400), fc.string({ unit: 'grapheme', maxLength: 200 }));
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        expect(countSegments(a + b)).toBeGreaterThanOrEqual(countSegments(a));
      }),
    );
  });

  it('property: parts join back to the text and each fits its capacity', () => {
    const anyText = fc.oneof(gsmString(500), fc.string({ unit: 'binary', maxLength: 300 }));
    fc.assert(
      fc.property(anyText, (text) => {
        const parts = splitSegments(text);
        if (parts.join('') !== text) return false;
        if (parts.length === 1) return true;
        const gsm = smsEncoding(text) === 'GSM-7';
        return parts.every(
          (part) =>
            // UCS-2 counts UTF-16 code units, i.e. `part.length`
            (gsm ? analyseSms(part).units <= 153 : part.length <= 67) &&
            // no lone surrogate at a boundary
            !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(part),
        );
      }),
      { numRuns: 300 },
    );
  });
});
