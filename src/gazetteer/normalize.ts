/**
 * Name normalisation shared by the gazetteer index and the message scanner, so that
 * "Ségou", "SEGOU", "segou" and "Ségou," all become "segou" on both sides.
 */

const apostrophes = /['’‘`´ʼ]/g;
const ligatures: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd' };

/**
 * Lower-cases, removes diacritics, turns apostrophes, hyphens and punctuation into spaces and
 * collapses white space. Arabic letters are kept; their variant forms are unified.
 * Idempotent: `normalizeText(normalizeText(s)) === normalizeText(s)`.
 */
export function normalizeText(text: string): string {
  // Plain ASCII (most words of most messages) has no diacritics, ligatures or Arabic to handle,
  // and the classifier normalises every word: the short way gives the same result.
  return asciiOnly.test(text)
    ? text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim()
    : normalizeUnicode(text);
}

// Any code point below 128 (control characters included: they too are not letters or digits).
// eslint-disable-next-line no-control-regex
const asciiOnly = /^[\x00-\x7f]*$/;

/** `normalizeText` for any text (exported so that tests can hold the ASCII short way to it). */
export function normalizeUnicode(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[œæßøłđ]/g, (c) => ligatures[c] ?? c)
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/ـ/g, '')
    .replace(apostrophes, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a normalised text. */
export function tokenize(text: string): string[] {
  const normal = normalizeText(text);
  return normal === '' ? [] : normal.split(' ');
}

/** Leading phrases that introduce a place rather than belong to its name ("village de Ogossagou"). */
export const placePrefixes: readonly string[] = [
  'a cote de',
  'a cote du',
  'pres de',
  'pres du',
  'non loin de',
  'aux environs de',
  'autour de',
  'village de',
  'village du',
  'le village de',
  'localite de',
  'la localite de',
  'commune de',
  'commune rurale de',
  'cercle de',
  'arrondissement de',
  'quartier',
  'hameau de',
  'campement de',
  'groupement de',
  'chefferie de',
  'secteur de',
  'territoire de',
  'sous prefecture de',
  'prefecture de',
  'the village of',
  'village of',
  'near',
  'close to',
  'next to',
  'the town of',
  'town of',
  'village',
  'localite',
  'commune',
];
const prefixPattern = new RegExp(`^(?:${[...placePrefixes].sort((a, b) => b.length - a.length).join('|')}) (?=\\S)`);

/**
 * Normalises a gazetteer name for indexing: `normalizeText` plus removal of an introducing phrase
 * ("Village de Kani" → "kani"). Never returns the empty string for a non-empty name made only of a prefix.
 */
export function normalizeName(name: string): string {
  const normal = normalizeText(name);
  let stripped = normal;
  for (let previous = ''; previous !== stripped; ) {
    previous = stripped;
    stripped = stripped.replace(prefixPattern, '');
  }
  return stripped === '' ? normal : stripped;
}

/**
 * The ways a name may be written: normalised with separators ("n gouma", "tin essako") and, when
 * the name has apostrophes or hyphens, also glued together ("ngouma", "tinessako").
 */
export function nameVariants(name: string): string[] {
  const spaced = normalizeName(name);
  if (spaced === '') return [];
  const variants = new Set([spaced]);
  if (/['’‘`´ʼ-]/.test(name)) variants.add(spaced.replace(/ /g, ''));
  return [...variants];
}
