import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWarningAnalyser } from '../../src/classify/analyser.js';
import type { WarningAnalyser } from '../../src/classify/types.js';
import { corroborates, followUpVerdict, type IncidentFacts, type MessageFacts } from '../../src/domain/incidents.js';
import { loadGazetteers } from '../../src/gazetteer/load.js';

const mali = fileURLToPath(new URL('../../deploy/gazetteer/mali.csv', import.meta.url));
let analyser: WarningAnalyser;
beforeAll(async () => {
  analyser = createWarningAnalyser({ places: (await loadGazetteers([mali])).places });
});

/** The alert as the workflow records it from the reporter's first message. */
const alertOf = (text: string): IncidentFacts => {
  const c = analyser.classify(text);
  return { threatType: c.threatType, otherThreatTypes: c.otherThreatTypes, place: analyser.findPlace(text)?.place ?? null };
};
const messageOf = (text: string): MessageFacts => {
  const c = analyser.classify(text);
  return { text, threatType: c.threatType, otherThreatTypes: c.otherThreatTypes, place: analyser.findPlace(text) };
};

describe('a message inside the follow-up window: follow-up or a new incident', () => {
  it.each([
    // Follow-ups: nothing new, counts, the same people moving, what they did next at the same place.
    ['Des hommes armés à Sofara', 'ils sont toujours là', true],
    ['Des hommes armés à Sofara', 'ils st tjrs la', true],
    ['Des hommes armés à Sofara', 'une vingtaine', true],
    ['Des hommes armés à Sofara', 'Ils sont une vingtaine sur des motos', true],
    ['Des hommes armés à Sofara', 'ils sont partis vers Bankass', true],
    ['Des hommes armés à Sofara', 'ils se dirigent vers Djenné maintenant', true],
    ['Des hommes armés à Sofara', 'maintenant ils attaquent le village', true],
    ['Des hommes armés à Sofara', 'ils ont tiré sur les gens', true],
    ['Des hommes armés à Sofara', 'ils ont enlevé le chef du village', true],
    ['Des hommes armés à Sofara', 'ils ont brûlé le marché', true],
    ['Des hommes armés à Sofara', 'les gens fuient vers Mopti', true],
    ['Des hommes armés à Sofara', 'ok merci', true],
    ['Des hommes armés à Sofara', 'c calme mnt', true],
    ['Des hommes armés à Sofara', 'ils sont encore a Sofara', true],
    ['hom armé vus vers Konna', 'ils st 30 avec des motos', true],
    ['hom armé vus vers Konna', 'ils sont venus de Bandiagara', true],
    ['attaque du village de Konna cette nuit', '2 blessés', true],
    ['attaque du village de Konna cette nuit', '2 bléssés', true],
    ['attaque du village de Konna cette nuit', '3 morts et 2 blessés', true],
    ['attaque du village de Konna cette nuit', 'ils ont brulé les greniers aussi', true],
    ['attaque du village de Konna cette nuit', 'les gens ont fui leurs maisons', true],
    ['attaque du village de Konna cette nuit', 'merci bcp', true],
    ['tirs entendus a Djenné', 'les tirs continuent', true],
    ['affrontement entre les FAMa et les terroristes à Djenné', 'ya des morts', true],
    ['vol de betail cette nuit a Bankass', 'ils ont pris 200 boeufs', true],
    ['les dozos ont donné un ultimatum aux peuls à Ouo', 'les familles quittent le village', true],
    ['Armed men seen at Bandiagara', 'they are still there', true],
    ['Armed men seen at Bandiagara', 'about twenty of them', true],
    ['Armed men seen at Bandiagara', 'they are heading to Bankass now', true],
    ['Armed men seen at Bandiagara', 'now they are shooting at people', true],
    ['Armed men attacked the market in Konna', '2 wounded', true],
    ['Armed men attacked the market in Konna', 'thank you', true],
    ['mine sur la route de Konna', 'un vehicule a sauté dessus', true],
    ['enlèvement de deux enseignants à Djenné', 'ils sont partis vers Bankass avec eux', true],
    ['enlèvement de deux enseignants à Djenné', 'ils st partis direction konna', true],
    // New incidents: another place, or a threat that cannot continue the first.
    ['Des hommes armés à Sofara', 'enlèvement de deux enseignants à Djenné', false],
    ['Des hommes armés à Sofara', 'attaque a Bankass, 3 morts', false],
    ['Des hommes armés à Sofara', 'des hommes armés aussi a Konna', false],
    ['Des hommes armés à Sofara', 'Tirs à Mopti', false],
    ['attaque du village de Konna cette nuit', 'une femme violée au champ', false],
    ['attaque du village de Konna cette nuit', 'mon frere a ete enleve hier soir', false],
    ['vol de betail cette nuit a Bankass', 'une femme violée ce matin', false],
    ['une fille violée au champ à Ouo', 'ils ont brulé le village de Konna', false],
    ['mon frere a ete enleve a Djenné', 'ils ont brulé les greniers', false],
    ['enlèvement de 2 commercants a Konna', 'mine sur la route', false],
    ['conflit entre eleveurs et agriculteurs a Ouo', 'une femme violée', false],
    ['Armed men seen at Bandiagara', 'armed men attacked Djenné market', false],
    ['Armed men attacked the market in Konna', 'women raped near the camp yesterday', false],
    ['women raped near Konna', 'thousands of displaced people arriving in Bankass', false],
    ['hom armé vus a Dourou', 'enlevement a Bandiagara', false],
    ['enlèvement de deux enseignants à Djenné', 'des hommes armés à Konna', false],
    ['une fille violée au champ à Ouo', 'ils ont volé tout le bétail', false],
  ])('%s / %s → follow-up: %s', (first, next, same) => {
    const verdict = followUpVerdict(alertOf(first), messageOf(next));
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ same });
  });
});

describe('another reporter’s warning: the same incident or not', () => {
  it.each([
    ['attaque du village de Konna cette nuit', 'ils attaquent Konna, des tirs partout', true],
    ['attaque du village de Konna cette nuit', 'des hommes armés à Konna', true],
    ['Des hommes armés à Sofara', 'armed men at Sofara', true],
    ['vol de betail cette nuit a Bankass', 'une femme violée à Bankass', false],
    ['attaque du village de Konna cette nuit', 'attaque a Bankass', false],
    ['attaque du village de Konna cette nuit', 'ils sont toujours là', false],
    ['Tirs à Mopti', 'attaque à Mopti', false],
  ])('%s / %s → grouped: %s', (first, next, grouped) => {
    expect(corroborates(alertOf(first), messageOf(next))).toBe(grouped);
  });
});

describe('a warning that names no place, from a reporter with a registered place', () => {
  /** The warning as the workflow reads it: the place it names, else the reporter's registered place. */
  const fromReporterAt = (village: string, text: string): Omit<MessageFacts, 'text'> => {
    const registeredPlaceId = analyser.findPlace(village)!.place.id;
    const c = analyser.classify(text);
    return { threatType: c.threatType, otherThreatTypes: c.otherThreatTypes, place: analyser.findPlace(text, { registeredPlaceId }) };
  };

  it.each([
    ['attaque du village de Konna cette nuit', 'Konna', 'on nous attaque, ils tirent partout', true],
    ['attaque du village de Konna cette nuit', 'Konna', 'attaque en cours venez vite', true],
    ['Des hommes armés à Sofara', 'Sofara', 'ils sont nombreux sur des motos, armés', true],
    ['attaque du village de Konna cette nuit', 'Bankass', 'on nous attaque, ils tirent partout', false],
    ['attaque du village de Konna cette nuit', 'Konna', 'une femme violée', false],
    ['attaque du village de Konna cette nuit', 'Konna', 'ils attaquent Bankass', false],
  ])('%s / a reporter of %s: %s → grouped: %s', (first, village, next, grouped) => {
    expect(corroborates(alertOf(first), fromReporterAt(village, next))).toBe(grouped);
  });

  it('a place only guessed from a word of the message groups nothing', () => {
    const guessed = messageOf('ils ont tiré');
    if (guessed.place) expect(guessed.place.confidence).toBeLessThan(0.9);
    expect(corroborates(alertOf('Tirs à Tièrè'), guessed)).toBe(false);
  });
});
