import { beforeAll, describe, expect, it } from 'vitest';
import type { Place } from '../../src/domain/place.js';
import { createPlaceFinder, type PlaceFinder } from '../../src/gazetteer/find.js';
import { loadGazetteers } from '../../src/gazetteer/load.js';

let finder: PlaceFinder;
let places: Place[];
const byName = (name: string, admin2?: string) => places.find((p) => p.name === name && (admin2 === undefined || p.admin2 === admin2)) as Place;

beforeAll(async () => {
  ({ places } = await loadGazetteers([
    'deploy/gazetteer/mali.csv',
    'deploy/gazetteer/dr-congo.csv',
    'deploy/gazetteer/central-african-republic.csv',
    'test/fixtures/gazetteer/villages.csv',
  ]));
  finder = createPlaceFinder(places);
});

const found = (text: string, registeredPlaceId?: number) => {
  const match = finder.findPlace(text, registeredPlaceId === undefined ? {} : { registeredPlaceId });
  return match && { name: match.place.name, admin1: match.place.admin1, admin2: match.place.admin2 };
};

describe('finding the place of a warning', () => {
  it.each([
    ['hommes armés à Konna ce matin', 'Konna', 'Mopti'],
    ['attaque a SOFARA hier', 'Sofara', 'Mopti'],
    ['les ADF a Beni maintenant', 'Beni', 'Nord-Kivu'],
    ['tirs a Kaga Bandoro', 'Kaga-Bandoro', 'Nana-Gribizi'],
    ['vu 10 vehicules a tinessako', 'Tin-Essako', 'Kidal'],
    ["2 civils tues a N'Tillit", "N'Tillit", 'Gao'],
    ['village de Ogossagou attaqué', 'Ogossagou', 'Bandiagara'],
    ['attaque a Sobane hier', 'Sobane Da', 'Bandiagara'],
    ['tirs a Bamingui Bangoran', 'Bamingui-Bangoran', 'Bamingui-Bangoran'],
  ])('%s → %s', (text, name, admin1) => {
    expect(found(text)).toMatchObject({ name, admin1 });
  });

  it.each([
    ['Sofarra', 'Sofara'],
    ['Kona', 'Konna'],
    ['Rutchuru', 'Rutshuru'],
    ['Kassongo', 'Kasongo'],
    ['Bandjagara', 'Bandiagara'],
    ['Ogosagou', 'Ogossagou'],
    ['Kidl', 'Kidal'],
  ])('finds the misspelt %s as %s', (typed, name) => {
    expect(found(`des hommes armes a ${typed} hier`)?.name).toBe(name);
  });

  it('does not stretch short names: 4 letters or fewer must be exact', () => {
    expect(found('attaque a Gaa hier')).toBeNull();
    expect(found('attaque a Koor hier')).toBeNull();
  });

  it.each([
    'pour dire que tout va bien',
    'armed men around the village',
    'des balles partout dans le village',
    'bato ya mboka bakimi',
    'bira a ga kekereke',
    'merci pour votre aide',
  ])('finds no place in “%s”', (text) => {
    expect(found(text)).toBeNull();
  });

  it('reads an ordinary word as a place after "à": Diré', () => {
    expect(found('attaque a Dire ce matin')).toMatchObject({ name: 'Diré', admin1: 'Tombouctou' });
  });

  it('resolves a name shared by two cercles with the cercle named in the message', () => {
    expect(found('attaque a Koula cercle de Tominian')).toMatchObject({ name: 'Koula', admin2: 'Tominian' });
    expect(found('vol de betail a Koula, Koulikoro')).toMatchObject({ name: 'Koula', admin2: 'Koulikoro' });
  });

  it('resolves a shared name with the reporter’s registered place', () => {
    const youwarou = byName('Youwarou', 'Youwarou');
    const bougouni = byName('Bougouni', 'Bougouni');
    expect(found('hommes armes a Dogo', youwarou.id)).toMatchObject({ name: 'Dogo', admin1: 'Mopti', admin2: 'Youwarou' });
    expect(found('hommes armes a Dogo', bougouni.id)).toMatchObject({ name: 'Dogo', admin1: 'Bougouni' });
  });

  it('is less sure of a shared name nothing resolves', () => {
    const alone = finder.findPlace('hommes armes a Dogo');
    const resolved = finder.findPlace('hommes armes a Dogo cercle de Youwarou');
    expect(alone?.confidence).toBeLessThan(resolved?.confidence ?? 0);
  });

  it('prefers the commune to the region when both are named', () => {
    expect(found('attaque a Konna region de Mopti')).toMatchObject({ name: 'Konna' });
    expect(found('Beni, Nord-Kivu: attaque des ADF')).toMatchObject({ name: 'Beni' });
  });

  it('falls back to the reporter’s registered place, and says so', () => {
    const konna = byName('Konna', 'Konna');
    const match = finder.findPlace('des hommes armes sont la maintenant', { registeredPlaceId: konna.id });
    expect(match).toMatchObject({ place: { name: 'Konna' }, matched: 'registered place' });
    expect(match?.confidence).toBeLessThan(0.5);
    expect(finder.findPlace('des hommes armes sont la maintenant')).toBeNull();
  });

  it('shows the reporter’s own spelling as the matched words', () => {
    expect(finder.findPlace('attaque a Sofarra hier')?.matched).toBe('Sofarra');
  });

  it('finds an Arabic-script place name', () => {
    expect(found('مسلحين في بيراو هسع')).toMatchObject({ name: 'Birao' });
  });
});
