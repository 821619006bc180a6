import type { Place } from '../domain/place.js';
import { readGazetteerFile, type ParseOptions, type RefusedRow } from './parse.js';

/** Places read from gazetteer files, with ids, and the rows that were refused. */
export interface LoadedGazetteer {
  places: Place[];
  refused: (RefusedRow & { path: string })[];
}

/** Reads gazetteer files into `Place`s numbered from 1 in reading order. */
export async function loadGazetteers(paths: readonly string[], options: Omit<ParseOptions, 'source'> = {}): Promise<LoadedGazetteer> {
  const places: Place[] = [];
  const refused: LoadedGazetteer['refused'] = [];
  for (const path of paths) {
    for await (const row of readGazetteerFile(path, options)) {
      if ('place' in row) places.push({ id: places.length + 1, ...row.place });
      else refused.push({ path, ...row.refused });
    }
  }
  return { places, refused };
}
