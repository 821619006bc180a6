// Interim router (exact admin names); replaced by the gazetteer routing work.
import type { Place } from './types.js';

export interface RoutableOffice {
  id: string;
  area: { admin1?: string[]; admin2?: string[]; admin3?: string[] };
  location?: [number, number];
  triage?: boolean;
}

export function fieldOfficeFor(place: Place | null, offices: RoutableOffice[]): { officeId: string; reason: 'area' | 'nearest' | 'triage' } {
  const triage = offices.find((o) => o.triage) ?? offices[0]!;
  if (!place) return { officeId: triage.id, reason: 'triage' };
  const norm = (s: string | null | undefined) => (s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  for (const level of ['admin3', 'admin2', 'admin1'] as const) {
    const office = offices.find((o) => (o.area[level] ?? []).some((n) => norm(n) === norm(place[level]) || norm(n) === norm(place.name)));
    if (office) return { officeId: office.id, reason: 'area' };
  }
  if (place.lat === null || place.lon === null) return { officeId: triage.id, reason: 'triage' };
  let best = triage;
  let bestDistance = Infinity;
  for (const o of offices.filter((o) => o.location && !o.triage)) {
    const d = (o.location![0] - place.lat) ** 2 + (o.location![1] - place.lon) ** 2;
    if (d < bestDistance) [best, bestDistance] = [o, d];
  }
  return { officeId: best.id, reason: best === triage ? 'triage' : 'nearest' };
}
