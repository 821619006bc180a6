import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameVariants, normalizeName, normalizeText, normalizeUnicode, tokenize } from '../../src/gazetteer/normalize.js';

describe('normalizeText', () => {
  it.each([
    ['Ségou', 'segou'],
    ['SÉGOU,', 'segou'],
    ["N'Tillit", 'n tillit'],
    ['N’Gouma', 'n gouma'],
    ['Toguéré-Coumbé', 'toguere coumbe'],
    ['AbeÏbara', 'abeibara'],
    ['  hommes   armés!!! à Mopti… ', 'hommes armes a mopti'],
    ['Cœur', 'coeur'],
    ['مُسَلَّحِين', 'مسلحين'],
    ['أمس', 'امس'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('is idempotent and never throws', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => normalizeText(normalizeText(s)) === normalizeText(s)));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => normalizeText(normalizeText(s)) === normalizeText(s)));
  });

  it('reads plain ASCII the same way as any other text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (s) => normalizeText(s) === normalizeUnicode(s)),
      { numRuns: 2_000 },
    );
    expect(normalizeText("D'HOMMES  armes,  a MOPTI!")).toBe('d hommes armes a mopti');
  });

  it('tokens have no spaces and no empty words', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => tokenize(s).every((w) => w !== '' && !w.includes(' '))));
  });
});

describe('normalizeName', () => {
  it.each([
    ['Village de Ogossagou', 'ogossagou'],
    ['près de Sofara', 'sofara'],
    ['à côté de Konna', 'konna'],
    ['localité de Mbau', 'mbau'],
    ['near Beni', 'beni'],
    ['Village', 'village'],
    ['Commune de Village de Kani', 'kani'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => normalizeName(normalizeName(s)) === normalizeName(s)));
    const prefixed = fc.tuple(fc.constantFrom('village de ', 'pres de ', 'near ', ''), fc.string({ unit: 'grapheme-ascii' }));
    fc.assert(fc.property(prefixed, ([p, s]) => normalizeName(normalizeName(p + s)) === normalizeName(p + s)));
  });

  it('offers the glued spelling of names with apostrophes and hyphens', () => {
    expect(nameVariants("N'Tillit")).toEqual(['n tillit', 'ntillit']);
    expect(nameVariants('Tin-Essako')).toEqual(['tin essako', 'tinessako']);
    expect(nameVariants('Konna')).toEqual(['konna']);
  });
});
