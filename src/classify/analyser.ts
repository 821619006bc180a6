import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPlaceFinder } from '../gazetteer/find.js';
import { readPlaceStopWords } from '../gazetteer/stopwords.js';
import { classifyWarning, languageOf } from './classifier.js';
import { CueMatcher } from './cues.js';
import { bundledLexiconDir, loadLexicons } from './lexicon.js';
import { loadTargetModel, type TargetModel } from './target-model.js';
import type { WarningAnalyser } from './types.js';
import type { Place } from '../domain/place.js';

/** What `createWarningAnalyser` needs. */
export interface WarningAnalyserOptions {
  /** The gazetteer, loaded once per process. */
  places: readonly Place[];
  /** Folder of `<lang>.yaml` lexicons and `rules.yaml` (default: the bundled `lexicons/`). */
  lexiconDir?: string;
  /** Stop-word file for place names (default: `<lexiconDir>/place-stopwords.txt`, else the bundled one). */
  placeStopWordsPath?: string;
  /** The learnt attack-or-clash model (default: the bundled `target-model.json`; null: the rules alone). */
  targetModel?: TargetModel | null;
}

/** Builds the lexicon-and-rule analyser. Reads its files once; `classify` and `findPlace` are pure. */
export function createWarningAnalyser(options: WarningAnalyserOptions): WarningAnalyser {
  const dir = options.lexiconDir ?? bundledLexiconDir;
  const { languages, rules } = loadLexicons(dir);
  const missionStopWords = join(dir, 'place-stopwords.txt');
  const stopWords = readPlaceStopWords(options.placeStopWordsPath ?? (existsSync(missionStopWords) ? missionStopWords : undefined));
  const matcher = new CueMatcher(languages, stopWords);
  const places = createPlaceFinder(options.places, { stopWords });
  const model = options.targetModel === undefined ? loadTargetModel() : options.targetModel;
  return {
    classify: (text) => classifyWarning(text, matcher, rules, model),
    findPlace: (text, hint) => places.findPlace(text, hint),
    language: (text) => languageOf(text, matcher),
  };
}

/**
 * What the learnt target model is asked about a text, with the lexicons alone: its features when the
 * lexicons choose attack_on_civilians or armed_clash, unless they chose armed_clash for a target the
 * text names for its acts ("attacked the army post"), else null (the model is never asked). The training learns from exactly these questions.
 */
export function createModelQuestion(
  options: Pick<WarningAnalyserOptions, 'lexiconDir' | 'placeStopWordsPath'> = {},
): (text: string) => string[] | null {
  const dir = options.lexiconDir ?? bundledLexiconDir;
  const { languages, rules } = loadLexicons(dir);
  const missionStopWords = join(dir, 'place-stopwords.txt');
  const matcher = new CueMatcher(
    languages,
    readPlaceStopWords(options.placeStopWordsPath ?? (existsSync(missionStopWords) ? missionStopWords : undefined)),
  );
  return (text) => {
    let asked: string[] | null = null;
    classifyWarning(text, matcher, rules, null, (features) => (asked = features));
    return asked;
  };
}
