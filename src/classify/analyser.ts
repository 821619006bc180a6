import { createPlaceFinder } from '../gazetteer/find.js';
import { readPlaceStopWords } from '../gazetteer/stopwords.js';
import { classifyWarning } from './classifier.js';
import { CueMatcher } from './cues.js';
import { bundledLexiconDir, loadLexicons } from './lexicon.js';
import type { Place, WarningAnalyser } from './types.js';

/** What `createWarningAnalyser` needs. */
export interface WarningAnalyserOptions {
  /** The gazetteer, loaded once per process. */
  places: readonly Place[];
  /** Folder of `<lang>.yaml` lexicons and `rules.yaml` (default: the bundled `lexicons/`). */
  lexiconDir?: string;
  /** Stop-word file for place names (default: `<lexiconDir>/place-stopwords.txt`). */
  placeStopWordsPath?: string;
}

/** Builds the lexicon-and-rule analyser. Reads its files once; `classify` and `findPlace` are pure. */
export function createWarningAnalyser(options: WarningAnalyserOptions): WarningAnalyser {
  const dir = options.lexiconDir ?? bundledLexiconDir;
  const { languages, rules } = loadLexicons(dir);
  const stopWords = readPlaceStopWords(options.placeStopWordsPath ?? `${dir.replace(/\/$/, '')}/place-stopwords.txt`);
  const matcher = new CueMatcher(languages, stopWords);
  const places = createPlaceFinder(options.places, { stopWords });
  return {
    classify: (text) => classifyWarning(text, matcher, rules),
    findPlace: (text, hint) => places.findPlace(text, hint),
  };
}
