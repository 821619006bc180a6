import type { Place } from '../domain/place.js';

/** A gazetteer entry before it is given an id. */
export type PlaceInput = Omit<Place, 'id'>;

/** A row of a gazetteer file the parser could not accept, with the file's line number. */
export interface RefusedRow {
  line: number;
  reason: string;
}

/** One parsed row: a place, or a refusal explaining why the row was skipped. */
export type GazetteerRow = { place: PlaceInput } | { refused: RefusedRow };

/** Parses a latitude/longitude pair; both empty is allowed; returns a reason when invalid. */
export function parseCoordinates(latText: string, lonText: string): { lat: number | null; lon: number | null } | string {
  if (latText === '' && lonText === '') return { lat: null, lon: null };
  if (latText === '' || lonText === '') return `latitude and longitude must both be given (lat "${latText}", lon "${lonText}")`;
  const lat = Number(latText.replace(',', '.'));
  const lon = Number(lonText.replace(',', '.'));
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) return `bad latitude "${latText}"`;
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) return `bad longitude "${lonText}"`;
  return { lat, lon };
}
