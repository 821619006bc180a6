import type { Place, PlaceHint, PlaceMatch } from '../domain/place.js';
import { PlaceIndex } from './index.js';
import { findPlaceIn } from './resolve.js';
import { readPlaceStopWords } from './stopwords.js';

/** Finds places named in warnings; built once per process from the gazetteer. */
export interface PlaceFinder {
  findPlace(text: string, hint?: PlaceHint): PlaceMatch | null;
  /** The place with this id, if the gazetteer has it. */
  place(id: number): Place | undefined;
}

/** Options for `createPlaceFinder`. */
export interface PlaceFinderOptions {
  /** Words never taken for one-word place names (default: the bundled `lexicons/place-stopwords.txt`). */
  stopWords?: Iterable<string>;
}

/** Indexes the gazetteer and returns a place finder. */
export function createPlaceFinder(places: readonly Place[], options: PlaceFinderOptions = {}): PlaceFinder {
  const index = new PlaceIndex(places, { stopWords: options.stopWords ?? readPlaceStopWords() });
  return {
    findPlace: (text, hint) => findPlaceIn(index, text, hint),
    place: (id) => index.place(id),
  };
}
