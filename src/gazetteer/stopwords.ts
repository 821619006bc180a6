import { readFileSync } from 'node:fs';
import { normalizeText } from './normalize.js';

/** The stop-word list bundled with Tamtam (`lexicons/place-stopwords.txt`). */
export const bundledPlaceStopWordsPath = new URL('../../lexicons/place-stopwords.txt', import.meta.url);

/** Reads a stop-word file: one word per line, `#` starts a comment. */
export function readPlaceStopWords(path: string | URL = bundledPlaceStopWordsPath): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => normalizeText(line.replace(/#.*/, '')))
    .filter((word) => word !== '');
}
