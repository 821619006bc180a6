import type { Place } from '../domain/place.js';
import { allowedEdits, DeletionIndex, editDistance } from './fuzzy.js';
import { nameVariants } from './normalize.js';

/**
 * Words after which even an ordinary word is read as a place ("attaque a Dire" names Diré,
 * "pour dire" does not).
 */
export const strongPlaceCues = new Set(['a', 'au', 'vers', 'pres', 'village', 'localite', 'commune', 'cercle', 'near', 'at', 'in']);

/** One way of writing one place's name, as words. */
interface NameEntry {
  place: Place;
  words: string[];
  /** The normalised name as written in the gazetteer (for showing and for admin matching). */
  canonical: string;
}

/** A stretch of the message that names a place, possibly with a few typing mistakes. */
export interface NameSpan {
  /** Index of the first and one past the last word of the message. */
  start: number;
  end: number;
  place: Place;
  /** Total edits between the message's words and the name. */
  edits: number;
  /** The gazetteer name matched (normalised). */
  canonical: string;
}

/** Options for `createPlaceIndex`. */
export interface PlaceIndexOptions {
  /** Ordinary words never taken for a one-word place name, even misspelt (default: none). */
  stopWords?: Iterable<string>;
}

/**
 * In-memory place index: names by first word for exact look-up, and a symmetric-delete index on
 * first words of 5 letters or more for misspellings. Building is linear in the gazetteer size;
 * scanning a message costs a few map look-ups per word.
 */
export class PlaceIndex {
  readonly places: readonly Place[];
  private readonly byId = new Map<number, Place>();
  private readonly entriesByFirstWord = new Map<string, NameEntry[]>();
  private readonly firstWordsByDeletion = new DeletionIndex();
  private readonly stopWords: Set<string>;

  constructor(places: readonly Place[], options: PlaceIndexOptions = {}) {
    this.places = places;
    this.stopWords = new Set(options.stopWords ?? []);
    for (const place of places) {
      this.byId.set(place.id, place);
      const names = new Set([place.name, ...place.altNames]);
      for (const name of names) {
        const variants = nameVariants(name);
        const canonical = variants[0];
        if (canonical === undefined) continue;
        for (const variant of variants) this.add({ place, words: variant.split(' '), canonical });
      }
    }
    this.firstWordsByDeletion.freeze();
  }

  /** The place with this id, if the gazetteer has it. */
  place(id: number): Place | undefined {
    return this.byId.get(id);
  }

  /** True for ordinary words that never name a place on their own. */
  isStopWord(word: string): boolean {
    return this.stopWords.has(word);
  }

  /** Every place named in the message's words (overlapping shorter matches removed). */
  scan(words: readonly string[]): NameSpan[] {
    const spans: NameSpan[] = [];
    for (let start = 0; start < words.length; start += 1) {
      const word = words[start] as string;
      const exact = this.entriesByFirstWord.get(word) ?? [];
      for (const entry of exact) this.tryEntry(entry, words, start, 0, spans);
      const hasExactSingle = exact.some((e) => e.words.length === 1);
      if (!hasExactSingle && word.length >= 4 && !this.stopWords.has(word)) {
        for (const [first, edits] of this.similarFirstWords(word)) {
          for (const entry of this.entriesByFirstWord.get(first) ?? []) this.tryEntry(entry, words, start, edits, spans);
        }
      }
    }
    return dropCovered(spans);
  }

  private tryEntry(entry: NameEntry, words: readonly string[], start: number, firstEdits: number, out: NameSpan[]) {
    const end = start + entry.words.length;
    if (end > words.length) return;
    if (entry.words.length === 1 && this.stopWords.has(words[start] as string) && !(start > 0 && strongPlaceCues.has(words[start - 1] as string)))
      return;
    let edits = firstEdits;
    for (let k = 1; k < entry.words.length; k += 1) {
      const nameWord = entry.words[k] as string;
      const allowed = allowedEdits(nameWord.length);
      const d = editDistance(words[start + k] as string, nameWord, allowed);
      if (d > allowed) return;
      edits += d;
    }
    out.push({ start, end, place: entry.place, edits, canonical: entry.canonical });
  }

  /** First words of names within their allowed edits of `word`. */
  private similarFirstWords(word: string): Map<string, number> {
    const found = new Map<string, number>();
    const depth = word.length >= 7 ? 2 : 1;
    for (const first of this.firstWordsByDeletion.candidates(word, depth)) {
      if (first === word) continue;
      const allowed = allowedEdits(first.length);
      const d = editDistance(word, first, allowed);
      if (d <= allowed) found.set(first, d);
    }
    return found;
  }

  private add(entry: NameEntry) {
    const first = entry.words[0] as string;
    const list = this.entriesByFirstWord.get(first);
    if (list) {
      list.push(entry);
      return;
    }
    this.entriesByFirstWord.set(first, [entry]);
    const allowed = allowedEdits(first.length);
    if (allowed > 0) this.firstWordsByDeletion.add(first, allowed);
  }
}

/** Drops spans lying inside a longer span, and fuzzy spans where an exact one covers the same words. */
function dropCovered(spans: NameSpan[]): NameSpan[] {
  return spans.filter(
    (s) =>
      !spans.some(
        (o) =>
          o !== s &&
          o.start <= s.start &&
          o.end >= s.end &&
          (o.end - o.start > s.end - s.start || (o.end - o.start === s.end - s.start && o.edits < s.edits)),
      ),
  );
}
