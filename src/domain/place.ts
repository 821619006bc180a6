/** Places as the gazetteer, the place finder and the database all see them (below each of them). */

/** A gazetteer entry as the place finder sees it (rows of the `places` table). */
export interface Place {
  id: number;
  name: string;
  altNames: string[];
  admin1: string | null;
  admin2: string | null;
  admin3: string | null;
  lat: number | null;
  lon: number | null;
  /** The gazetteer's code for this place (e.g. Open Admin Data `ML0505`), when it has one. */
  code?: string;
  /**
   * Administrative depth: 1 region/province/prefecture, 2 cercle/territory/sub-prefecture,
   * 3 arrondissement/sector; absent for a mission's own village lists (then inferred from the admins).
   */
  level?: number;
  /** Gazetteer codes of `admin1`, `admin2`, `admin3`, when known (used to match office areas by code). */
  adminCodes?: [string | null, string | null, string | null];
  /** The gazetteer file the place came from. */
  source?: string;
}

/** A place found in a message. */
export interface PlaceMatch {
  place: Place;
  /** 0..1 */
  confidence: number;
  /** The words of the message that named it, or `registered place` ({@link registeredPlace}) when it came from the reporter. */
  matched: string;
}

/** `matched` of a place that the message did not name: the reporter's registered place. */
export const registeredPlace = 'registered place';

/** Context that helps resolve ambiguous names. */
export interface PlaceHint {
  /** The reporter's registered place, if any. */
  registeredPlaceId?: number | null;
}
