import type { Place } from '../domain/place.js';
import { normalizeName } from '../gazetteer/normalize.js';

/** The admin units an office covers, by gazetteer name or code, at each level. */
export interface FieldOfficeArea {
  admin1?: string[];
  admin2?: string[];
  admin3?: string[];
}

/** What routing needs to know about a field office (a subset of the deployment file's entry). */
export interface RoutableOffice {
  id: string;
  area: FieldOfficeArea;
  /** [lat, lon]; offices with a location can receive warnings from uncovered places (nearest). */
  location?: [number, number];
  /** The office that receives what cannot be placed (the JOC). */
  triage?: boolean;
}

/** Which office gets a warning, and why. */
export interface OfficeChoice {
  officeId: string;
  /** `area`: the office covers the place; `nearest`: no office covers it; `triage`: no usable place. */
  reason: 'area' | 'nearest' | 'triage';
}

const levels = ['admin3', 'admin2', 'admin1'] as const;

/**
 * The field office for a place: the office whose area covers the smallest admin unit of the place
 * wins (admin3, then admin2, then admin1; names compared normalised, codes exactly); if none
 * covers it, the nearest office with a location (triage offices excluded); without a place, or
 * without coordinates to measure from, the triage office. Null only when no office fits at all.
 */
export function fieldOfficeFor(place: Place | null, offices: readonly RoutableOffice[]): OfficeChoice | null {
  const triage = offices.find((o) => o.triage);
  const toTriage = triage ? { officeId: triage.id, reason: 'triage' as const } : null;
  if (!place) return toTriage;
  for (const level of levels) {
    const position = level === 'admin1' ? 0 : level === 'admin2' ? 1 : 2;
    const name = place[level];
    const code = place.adminCodes?.[position] ?? null;
    if (name === null && code === null) continue;
    const normal = name === null ? null : normalizeName(name);
    const office = offices.find((o) => (o.area[level] ?? []).some((entry) => entry === code || normalizeName(entry) === normal));
    if (office) return { officeId: office.id, reason: 'area' };
  }
  if (place.lat === null || place.lon === null) return toTriage;
  let nearest: { id: string; km: number } | null = null;
  for (const office of offices) {
    if (office.triage || !office.location) continue;
    const km = haversineKm(place.lat, place.lon, office.location[0], office.location[1]);
    if (!nearest || km < nearest.km) nearest = { id: office.id, km };
  }
  return nearest ? { officeId: nearest.id, reason: 'nearest' } : toTriage;
}

/** Great-circle distance in kilometres. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}
