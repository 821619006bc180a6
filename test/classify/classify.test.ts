import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWarningAnalyser } from '../../src/classify/analyser.js';
import { LexiconError } from '../../src/classify/lexicon.js';

const analyser = createWarningAnalyser({ places: [] });
const classify = (text: string) => analyser.classify(text);

describe('threat type from the way focal points text', () => {
  it.each([
    ['des hommes armés ont tué 3 personnes hier a Sofara', 'attack_on_civilians'],
    ['ils ont tire sur les gens au marche', 'attack_on_civilians'],
    ['hom armé vus ce matin vers la riviere', 'armed_group_presence'],
    ['homes armes ds la brousse depuis ajd', 'armed_group_presence'],
    ['les jihadistes ont installé un check point sur la route', 'armed_group_presence'],
    ['mon frere a ete enleve hier soir par des inconnus', 'abduction'],
    ['2 commercants kidnappés, les ravisseurs demandent une rancon', 'abduction'],
    ['une fille violée au champ par des hommes en arme', 'sexual_violence'],
    ['ils ont brulé le vilage et les greniers', 'looting_destruction'],
    ['vol de betail cette nuit, 200 boeufs emportés', 'looting_destruction'],
    ['affrontement entre les FAMa et les terroristes en ce moment', 'armed_clash'],
    ['echanges de tirs entre militaires et assaillants', 'armed_clash'],
    ['un vehicule a sauté sur une mine ce matin', 'explosive_device'],
    ['engin explosif sur la piste, 2 morts', 'explosive_device'],
    ['les dozos ont donné un ultimatum aux peuls de quitter le village', 'intercommunal_tension'],
    ['conflit entre eleveurs et agriculteurs a cause des champs', 'intercommunal_tension'],
    ['des centaines de deplacés arrivent depuis ce matin', 'displacement'],
    ['les gens ont fui leurs villages hier soir', 'displacement'],
    ['armed men killed 4 civilians last night', 'attack_on_civilians'],
    ['women raped near the camp yesterday', 'sexual_violence'],
    ['heavy fighting between the army and rebels now', 'armed_clash'],
    ['thousands of displaced people arriving now', 'displacement'],
    ['watu wenye silaha wako kijijini sasa hivi', 'armed_group_presence'],
    ['wamechoma nyumba zote jana', 'looting_destruction'],
    ['bitumba makasi sikoyo', 'armed_clash'],
    ['marifatigiw bɛ dugu kɔnɔ sisan', 'armed_group_presence'],
    ['a-zo ti bira a ga kekereke', 'armed_group_presence'],
    ['مسلحين هجموا على القرية و قتلوا ثلاثة', 'attack_on_civilians'],
  ])('%s → %s', (text, type) => {
    expect(classify(text).threatType).toBe(type);
  });

  it('keeps the evidence words in the reporter’s spelling', () => {
    expect(classify('hom armé vus ce matin').evidence).toContain('hom armé');
  });

  it('says "other" for messages that are not warnings', () => {
    expect(classify('bonjour, je teste le numero').threatType).toBe('other');
    expect(classify('merci pour votre aide').threatType).toBe('other');
  });

  it.each([
    ['des hommesarmes a Sofara ce matin', 'armed_group_presence'],
    ['Boko Haramkills 5 villagers', 'attack_on_civilians'],
  ])('reads two words glued by a lost space: %s', (text, type) => {
    expect(classify(text).threatType).toBe(type);
  });

  it('does not split a word it knows, nor one that matches a cue with a typing mistake', () => {
    expect(classify('enlevment de deux enseignants').threatType).toBe('abduction');
    expect(classify('bonjour, je teste le numero').threatType).toBe('other');
  });

  it('a phrase that let a word pass does not swallow it: "are massacred in"', () => {
    expect(classify('over 25 are massacred in the village').threatType).toBe('attack_on_civilians');
    expect(classify('armed factions are fighting in Ndele right now').threatType).toBe('armed_clash');
  });

  it('a calm word that names the victims does not calm the report: "peaceful protesters"', () => {
    expect(classify('security forces killed six peaceful protesters').threatType).toBe('attack_on_civilians');
    expect(classify('the situation is peaceful now').threatType).toBe('other');
  });

  it('a gold mine is not a landmine', () => {
    expect(classify('des orpailleurs travaillent dans la mine d or').threatType).toBe('other');
  });
});

describe('negation and hearsay', () => {
  it.each([
    "pas d'hommes armés vus aujourd'hui, tout est calme",
    'aucun homme armé n a été vu ce matin',
    "il n'y a pas eu d'attaque, c'etait une fausse information",
    'no armed men seen in the village this week',
  ])('“%s” is not an alarm', (text) => {
    const result = classify(text);
    expect(result.threatType).toBe('other');
    expect(result.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('a rumour is reported with less confidence than a witness account', () => {
    const witness = classify('des hommes armes ont tué 3 personnes au village');
    const rumour = classify('on dit que des hommes armes ont tué 3 personnes au village');
    expect(rumour.threatType).toBe('attack_on_civilians');
    expect(rumour.confidence).toBeLessThan(witness.confidence);
    expect(rumour.urgency).toBe('unknown');
  });

  it('an announced attack stays imminent even when it is hearsay', () => {
    expect(classify('il parait que les jihadistes vont attaquer le village demain').urgency).toBe('imminent');
  });
});

describe('urgency', () => {
  it.each([
    ['les hommes armes arrivent, ils vont attaquer demain', 'imminent'],
    ['they are coming tonight to attack the village', 'imminent'],
    ['on tire sur les gens en ce moment aidez nous', 'ongoing'],
    ['combats en cours maintenant', 'ongoing'],
    ['attaque hier soir, 3 morts', 'past'],
    ['armed men attacked the village yesterday', 'past'],
    ['kidnapping de 3 agriculteurs, les ravisseurs demandent une rancon', 'past'],
    ['tension entre les communautes', 'unknown'],
  ])('%s → %s', (text, urgency) => {
    expect(classify(text).urgency).toBe(urgency);
  });
});

describe('language', () => {
  it.each([
    ['des hommes armes sont au village', 'fr'],
    ['armed men are in the village now', 'en'],
    ['watu wenye silaha wako sasa hivi', 'sw'],
    ['bato bakimi mboka sikoyo', 'ln'],
    ['marifatigiw bɛ yen sisan', 'bm'],
    ['a-zo ti bira ayeke fadeso', 'sg'],
    ['في مسلحين كثير هسع', 'ar'],
    ['???', null],
  ])('%s → %s', (text, language) => {
    expect(classify(text).language).toBe(language);
  });
});

describe('lexicons are data', () => {
  it('a mission adds a word without touching code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lexicons-'));
    cpSync('lexicons', dir, { recursive: true });
    expect(createWarningAnalyser({ places: [], lexiconDir: dir }).classify('les wagner sont partout').threatType).toBe('other');
    writeFileSync(join(dir, 'mission.yaml'), 'language: fr\nthreats:\n  armed_group_presence:\n    wagner: 3\n');
    expect(createWarningAnalyser({ places: [], lexiconDir: dir }).classify('les wagner sont partout').threatType).toBe('armed_group_presence');
  });

  it('a broken lexicon file is named in the error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lexicons-'));
    cpSync('lexicons', dir, { recursive: true });
    writeFileSync(join(dir, 'xx.yaml'), 'language: xx\nthreats:\n  zombies: { brains: 3 }\n');
    expect(() => createWarningAnalyser({ places: [], lexiconDir: dir })).toThrow(LexiconError);
    expect(() => createWarningAnalyser({ places: [], lexiconDir: dir })).toThrow(/xx\.yaml: threats/);
  });
});
