import { deletions, editDistance, hashKey } from '../gazetteer/fuzzy.js';
import { patternWords, type LexiconFile, type PatternWord } from './lexicon.js';

/** What a cue says about a message. */
export type CueKind = 'threat' | 'urgency' | 'negation' | 'reported' | 'calm' | 'target';

/** One lexicon pattern, compiled. */
export interface Cue {
  kind: CueKind;
  /** The threat type or urgency for `threat` and `urgency` cues, the target class for `target` cues; empty otherwise. */
  label: string;
  weight: number;
  /** A threat against a population: urgency at least imminent. */
  threatened?: boolean;
  language: string;
  words: PatternWord[];
}

/** A cue found in a message: words `start` to `end` (exclusive). */
export interface CueHit {
  cue: Cue;
  start: number;
  end: number;
  /** Words inside the span the pattern let pass without matching them ("are massacred in" for `are in`). */
  skipped?: number[];
}

/** Only words this long are matched with a typing mistake. */
const fuzzyMinLength = 6;
/** Only words this long are read as two glued words, each part at least `segmentMinPart` letters. */
const segmentMinLength = 7;
const segmentMinPart = 3;

/**
 * All lexicon patterns of all languages, indexed by first word: exact words in a map, `word*` and
 * `*word` in short lists, and a deletion index so "enlevment" still finds "enlevement".
 */
export class CueMatcher {
  private readonly byFirstWord = new Map<string, Cue[]>();
  /** `word*` and `*word` cues by their fixed part, and the lengths those parts have. */
  private readonly byPrefix = new Map<string, Cue[]>();
  private readonly bySuffix = new Map<string, Cue[]>();
  private readonly prefixLengths = new Set<number>();
  private readonly suffixLengths = new Set<number>();
  /** Each affix cue's place in the order cues were added: candidates are tried in that order. */
  private readonly affixOrder = new Map<Cue, number>();
  private readonly firstWordsByDeletion = new Map<number, string[]>();
  /** Words known as themselves (never read as a misspelling of another word). */
  private readonly vocabulary: Set<string>;
  /** The exact words of the cues. */
  private readonly cueWords = new Set<string>();
  /** Marker word → languages it belongs to. */
  readonly markers = new Map<string, string[]>();

  constructor(lexicons: readonly LexiconFile[], knownWords: Iterable<string> = []) {
    this.vocabulary = new Set(knownWords);
    for (const lexicon of lexicons) {
      const add = (kind: CueKind, label: string, pattern: string, weight: number, threatened = false) =>
        this.add({ kind, label, weight, language: lexicon.language, words: patternWords(pattern), ...(threatened ? { threatened } : {}) });
      for (const [type, patterns] of Object.entries(lexicon.threats)) {
        for (const [pattern, weight] of Object.entries(patterns ?? {})) add('threat', type, pattern, weight);
      }
      for (const [urgency, patterns] of Object.entries(lexicon.urgency)) {
        for (const [pattern, weight] of Object.entries(patterns ?? {})) add('urgency', urgency, pattern, weight);
      }
      for (const [pattern, weight] of Object.entries(lexicon.threatened)) add('threat', 'armed_group_presence', pattern, weight, true);
      for (const [target, patterns] of Object.entries(lexicon.targets)) {
        for (const pattern of patterns ?? []) add('target', target, pattern, 0);
      }
      for (const pattern of lexicon.negation) add('negation', '', pattern, 0);
      for (const pattern of lexicon.reported) add('reported', '', pattern, 0);
      for (const pattern of lexicon.calm) add('calm', '', pattern, 0);
      for (const marker of lexicon.markers) {
        for (const { text } of patternWords(marker)) {
          this.vocabulary.add(text);
          this.markers.set(text, [...(this.markers.get(text) ?? []), lexicon.language]);
        }
      }
    }
    for (const first of this.byFirstWord.keys()) {
      if (first.length < fuzzyMinLength) continue;
      for (const key of deletions(first, 1)) {
        const hash = hashKey(key);
        this.firstWordsByDeletion.set(hash, [...(this.firstWordsByDeletion.get(hash) ?? []), first]);
      }
    }
  }

  /**
   * Every cue in the message's words. A cue inside a longer cue of the same kind is dropped when
   * both mean the same, and for threats and targets always: the phrase decides ("enlevement de
   * betail" is looting, not abduction; "a zo ti bira" is fighters, not fighting; "idp camp" is
   * civilians, not a military camp).
   */
  match(words: readonly string[]): CueHit[] {
    const hits: CueHit[] = [];
    for (let i = 0; i < words.length; i += 1) {
      const word = words[i] as string;
      const candidates = this.cuesStartingWith(word);
      if (candidates.length === 0 && word.length >= fuzzyMinLength - 1 && !this.vocabulary.has(word)) {
        // Targets are only read as written: "agent" is not a misspelt "argent".
        for (const similar of this.similarFirstWords(word))
          candidates.push(...(this.byFirstWord.get(similar) ?? []).filter((c) => c.kind !== 'target'));
      }
      for (const cue of candidates) {
        const skipped: number[] = [];
        const end = this.matchRest(cue, words, i + 1, skipped);
        if (end !== null) hits.push({ cue, start: i, end, ...(skipped.length > 0 ? { skipped } : {}) });
      }
    }
    return hits.filter(
      (h, i) =>
        // The same word in two languages' lexicons ("checkpoint", "ied") counts once.
        !hits.some((o, j) => j < i && o.cue.kind === h.cue.kind && o.cue.label === h.cue.label && o.start === h.start && o.end === h.end) &&
        !hits.some(
          (o) =>
            o !== h &&
            o.cue.kind === h.cue.kind &&
            (o.cue.label === h.cue.label || h.cue.kind === 'threat' || h.cue.kind === 'target') &&
            o.start <= h.start &&
            o.end >= h.end &&
            o.end - o.start > h.end - h.start &&
            // A word the longer cue let pass is not part of it: "are massacred in" keeps "massacred".
            !o.skipped?.some((k) => k >= h.start && k < h.end),
        ),
    );
  }

  /**
   * Two known words glued by a lost space ("haramkills", "hommesarmes"), or null: only a word the
   * lexicons do not know, that no cue matches as it is or with a typing mistake, and whose halves
   * are both known, one of them a cue's word. SMS typed in a hurry and copied headlines lose spaces.
   */
  segment(word: string): [string, string] | null {
    if (word.length < segmentMinLength || this.vocabulary.has(word)) return null;
    if (this.cuesStartingWith(word).length > 0 || this.similarFirstWords(word).length > 0) return null;
    for (let cut = segmentMinPart; cut <= word.length - segmentMinPart; cut += 1) {
      const [head, tail] = [word.slice(0, cut), word.slice(cut)];
      if (this.vocabulary.has(head) && this.vocabulary.has(tail) && (this.cueWords.has(head) || this.cueWords.has(tail))) return [head, tail];
    }
    return null;
  }

  /** Matches the cue's words after the first, allowing one extra word between two of them (noted in `skipped`). */
  private matchRest(cue: Cue, words: readonly string[], from: number, skipped: number[]): number | null {
    let position = from;
    for (let k = 1; k < cue.words.length; k += 1) {
      const pattern = cue.words[k] as PatternWord;
      if (position < words.length && wordMatches(pattern, words[position] as string)) position += 1;
      else if (position + 1 < words.length && wordMatches(pattern, words[position + 1] as string)) {
        skipped.push(position);
        position += 2;
      } else return null;
    }
    return position;
  }

  /**
   * The cues whose first word is this word as written: exact, `word*` or `*word`. Affix cues are
   * looked up by the word's own prefixes and suffixes of the lengths they have, not tried one by
   * one (a hundred and more per word, for every word of every message).
   */
  private cuesStartingWith(word: string): Cue[] {
    return [
      ...(this.byFirstWord.get(word) ?? []),
      ...this.affixCues(this.prefixLengths, this.byPrefix, word, (n) => word.slice(0, n)),
      ...this.affixCues(this.suffixLengths, this.bySuffix, word, (n) => word.slice(word.length - n)),
    ];
  }

  private affixCues(lengths: Set<number>, index: Map<string, Cue[]>, word: string, part: (length: number) => string): Cue[] {
    const found: Cue[] = [];
    for (const length of lengths) if (length <= word.length) found.push(...(index.get(part(length)) ?? []));
    return found.length > 1 ? found.sort((a, b) => this.affixOrder.get(a)! - this.affixOrder.get(b)!) : found;
  }

  private similarFirstWords(word: string): string[] {
    const found = new Set<string>();
    for (const key of deletions(word, 1)) {
      for (const first of this.firstWordsByDeletion.get(hashKey(key)) ?? []) {
        if (!found.has(first) && editDistance(word, first, 1) <= 1) found.add(first);
      }
    }
    return [...found];
  }

  private add(cue: Cue) {
    const first = cue.words[0];
    if (!first) return;
    for (const w of cue.words) {
      if (w.kind !== 'exact') continue;
      this.vocabulary.add(w.text);
      this.cueWords.add(w.text);
    }
    if (first.kind === 'prefix' || first.kind === 'suffix') {
      const [index, lengths] = first.kind === 'prefix' ? [this.byPrefix, this.prefixLengths] : [this.bySuffix, this.suffixLengths];
      index.set(first.text, [...(index.get(first.text) ?? []), cue]);
      lengths.add(first.text.length);
      this.affixOrder.set(cue, this.affixOrder.size);
    } else this.byFirstWord.set(first.text, [...(this.byFirstWord.get(first.text) ?? []), cue]);
  }
}

function wordMatches(pattern: PatternWord, word: string): boolean {
  if (pattern.kind === 'prefix') return word.startsWith(pattern.text);
  if (pattern.kind === 'suffix') return word.endsWith(pattern.text);
  if (pattern.text === word) return true;
  return pattern.text.length >= fuzzyMinLength && editDistance(pattern.text, word, 1) <= 1;
}
