import { describe, expect, it } from 'vitest';
import { fieldOfficeFor, haversineKm, type RoutableOffice } from '../../src/classify/routing.js';
import type { Place } from '../../src/domain/place.js';

const offices: RoutableOffice[] = [
  { id: 'mopti', area: { admin1: ['Mopti', 'Ségou'] }, location: [14.484, -4.183] },
  { id: 'bankass', area: { admin2: ['Bankass'] }, location: [14.08, -3.52] },
  { id: 'gao', area: { admin1: ['ML07'] }, location: [16.272, -0.045] },
  { id: 'bunia', area: { admin1: ['Ituri'] }, location: [1.56, 30.25] },
  { id: 'beni', area: { admin2: ['Beni', 'Oïcha'] }, location: [0.482, 29.453] },
  { id: 'goma', area: { admin1: ['Nord-Kivu'] }, location: [-1.68, 29.22] },
  { id: 'joc', area: {}, triage: true, location: [12.65, -8.0] },
];

function place(
  name: string,
  admins: [string | null, string | null, string | null],
  lat: number | null,
  lon: number | null,
  extra: Partial<Place> = {},
): Place {
  return { id: 1, name, altNames: [], admin1: admins[0], admin2: admins[1], admin3: admins[2], lat, lon, ...extra };
}

describe('fieldOfficeFor', () => {
  it.each([
    ['a commune of a covered region goes to that region’s office', place('Sofara', ['Mopti', 'Sofara', 'Sofara'], 14.0, -4.2), 'mopti', 'area'],
    ['names are compared without accents or case', place('Markala', ['SEGOU', 'Markala', null], 13.8, -5.4), 'mopti', 'area'],
    ['a cercle office beats the region office', place('Ogossagou', ['Bandiagara', 'Bankass', 'Bankass'], 14.28, -3.67), 'bankass', 'area'],
    ['a territory office beats the province office', place('Oïcha', ['Nord-Kivu', 'Oïcha', null], 0.7, 29.5), 'beni', 'area'],
    ['the rest of the province goes to the province office', place('Masisi', ['Nord-Kivu', 'Masisi', null], -1.4, 28.8), 'goma', 'area'],
    [
      'areas may name units by gazetteer code',
      place('Ansongo', ['Gao', 'Ansongo', null], 15.66, 0.5, { adminCodes: ['ML07', 'ML0703', null] }),
      'gao',
      'area',
    ],
    [
      'an uncovered place goes to the nearest office, never to the triage office',
      place('Dungu', ['Haut-Uele', 'Dungu', null], 4.0, 28.77),
      'bunia',
      'nearest',
    ],
    ['an uncovered place without coordinates goes to triage', place('Kalemie', ['Tanganyika', 'Kalemie', null], null, null), 'joc', 'triage'],
  ])('%s', (_label, where, officeId, reason) => {
    expect(fieldOfficeFor(where, offices)).toEqual({ officeId, reason });
  });

  it('a warning without a place goes to the triage office', () => {
    expect(fieldOfficeFor(null, offices)).toEqual({ officeId: 'joc', reason: 'triage' });
  });

  it('without a triage office an unplaced warning has no office', () => {
    expect(
      fieldOfficeFor(
        null,
        offices.filter((o) => !o.triage),
      ),
    ).toBeNull();
  });

  it('measures distances on the globe', () => {
    expect(haversineKm(14.484, -4.183, 16.272, -0.045)).toBeGreaterThan(480);
    expect(haversineKm(14.484, -4.183, 16.272, -0.045)).toBeLessThan(500);
  });
});
