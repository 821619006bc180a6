import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createModelQuestion, createWarningAnalyser } from '../../src/classify/analyser.js';
import { bundledTargetModelPath } from '../../src/classify/target-model.js';
import { trainedModelText } from '../../src/classify/train-cli.js';
import { severityOfTypes } from '../../src/domain/severity.js';
import { cleanRow, defaultUcdpPath, splitOf } from '../../src/evaluation/ucdp.js';

const analyser = createWarningAnalyser({ places: [] });
const classify = (text: string) => analyser.classify(text);
const rulesAlone = createWarningAnalyser({ places: [], targetModel: null });
const allTypes = (text: string) => {
  const c = classify(text);
  return [c.threatType, ...c.otherThreatTypes];
};

describe('who was attacked decides between an attack on civilians and a clash', () => {
  it.each([
    // English
    ['armed men attacked the army post', 'armed_clash'],
    ['armed men attacked the camp last night', 'armed_clash'],
    ['gunmen attacked a checkpoint', 'armed_clash'],
    ['the militia attacked another militia', 'armed_clash'],
    ['three soldiers killed near the bridge', 'armed_clash'],
    ['armed men attacked the village and killed three farmers', 'attack_on_civilians'],
    ['armed men attacked the IDP camp and killed 4 people', 'attack_on_civilians'],
    ['two civilians were executed by jihadists yesterday', 'attack_on_civilians'],
    ['five killed in protests against military rule', 'attack_on_civilians'],
    ['gunmen open fire on travellers near the bridge', 'attack_on_civilians'],
    ['a rebel commander killed in action near Bentiu', 'armed_clash'],
    // French
    ['des hommes armés ont attaqué le poste militaire', 'armed_clash'],
    ['des hommes armés ont attaqué le camp des FAMa', 'armed_clash'],
    ['attaque contre un check point de la gendarmerie', 'armed_clash'],
    ['les miliciens ont attaqué une autre milice', 'armed_clash'],
    ['trois militaires tués hier', 'armed_clash'],
    ['des hommes armés ont attaqué le village et tué trois cultivateurs', 'attack_on_civilians'],
    ['ils ont tiré sur les femmes au marché', 'attack_on_civilians'],
    ['les militaires ont tiré sur les manifestants', 'attack_on_civilians'],
    // Swahili, Arabic, Lingala, Bambara, Sango
    ['watu wenye silaha wameshambulia kambi ya jeshi', 'armed_clash'],
    ['wameshambulia kijiji na kuua wakulima watatu', 'attack_on_civilians'],
    ['مسلحين هجموا على الجيش', 'armed_clash'],
    ['مسلحين هجموا على القرية', 'attack_on_civilians'],
    ['babomi basoda mibale', 'armed_clash'],
    ['babomi bato misato', 'attack_on_civilians'],
    ['u ye sorodasiw faga', 'armed_clash'],
    ['u ye mogow faga', 'attack_on_civilians'],
    ['a fa aturugu', 'armed_clash'],
    ['a fa azo', 'attack_on_civilians'],
  ])('%s → %s', (text, type) => {
    expect(classify(text).threatType).toBe(type);
  });

  it('a named armed target is not overruled by the learnt model', () => {
    // The same decision with and without the model: the target decides, and the model is not asked.
    const asked = createModelQuestion();
    for (const text of [
      'des hommes armés ont attaqué le camp des FAMa',
      'armed men attacked the army post',
      'des hommes armés ont attaqué le poste militaire',
    ]) {
      expect(classify(text).threatType).toBe(rulesAlone.classify(text).threatType);
      expect(asked(text)).toBeNull();
    }
  });

  it('a named civilian target is a reading the model is asked about, with the target among its features', () => {
    const features = createModelQuestion()('armed men attacked the village and killed three farmers');
    expect(features).toEqual(expect.arrayContaining(['targeted', 'tg:attack_on_civilians>civilians']));
    expect(classify('armed men attacked the village and killed three farmers').threatType).toBe('attack_on_civilians');
  });

  it.each([
    // A count between a passive act and a target before it names the victims, not the target.
    ['police confirm 19 killed in Sofara', 'attack_on_civilians'],
    ['la police confirme 12 tués à Sofara', 'attack_on_civilians'],
    // An armed group before other targets and then an act is that act's doer, not a victim.
    ['5 killed in Boko Haram village raids', 'attack_on_civilians'],
    ['12 dead in a Boko Haram wedding attack', 'attack_on_civilians'],
    ['9 dead in RSF militia attacks on villages', 'attack_on_civilians'],
    // What follows "for" tells why, not whom.
    ['ten men executed for not joining Boko Haram', 'attack_on_civilians'],
  ])('the rules find who the victims are: %s → %s', (text, type) => {
    expect(rulesAlone.classify(text).threatType).toBe(type);
  });

  it('a clash the rules chose over an act on civilians is a reading the model is asked about', () => {
    // "recaptured" is fighting, "killed many residents" an act on civilians: no armed target decides.
    const features = createModelQuestion()('Boko Haram recaptured Mubi, killed many residents');
    expect(features).toEqual(expect.arrayContaining(['type:armed_clash', 'tg:attack_on_civilians>civilians']));
  });

  it('reads words glued by a lost space as two words', () => {
    expect(rulesAlone.classify('Boko HaramKills 22 villagers in Borno').threatType).toBe('attack_on_civilians');
    expect(rulesAlone.classify('GunmenAttacked the village').threatType).toBe('attack_on_civilians');
  });
});

describe('what was seized decides between abduction and looting', () => {
  it.each([
    ['they seized a vehicle', 'looting_destruction'],
    ['they seized 200 head of cattle', 'looting_destruction'],
    ['gunmen seized the ballot boxes', 'looting_destruction'],
    ['they seized two teachers', 'abduction'],
    ['a truck driver was seized by gunmen on the road', 'abduction'],
    ['ils ont enlevé 200 têtes de bétail', 'looting_destruction'],
    ['ils ont enlevé les urnes', 'looting_destruction'],
    ['ils ont enlevé deux enseignants', 'abduction'],
    ["wamechukua ng'ombe", 'looting_destruction'],
    ['wamechukua watu watatu', 'abduction'],
    ['bakangi bangombe', 'looting_destruction'],
    ['bakangi bana', 'abduction'],
    ['u ye misiw minɛ', 'looting_destruction'],
  ])('%s → %s', (text, type) => {
    expect(classify(text).threatType).toBe(type);
  });
});

describe('several things at once', () => {
  it.each([
    ['kidnapped a young woman and raped her', ['abduction', 'sexual_violence']],
    ['ils ont attaqué le quartier, tuant et violant les femmes', ['attack_on_civilians', 'sexual_violence']],
    ['attacked the quarter, killing and raping', ['attack_on_civilians', 'sexual_violence']],
    ['killed one and looted the houses', ['attack_on_civilians', 'looting_destruction']],
    ['wametekwa na kubakwa', ['abduction', 'sexual_violence']],
  ])('%s tells of %j', (text, types) => {
    expect(allTypes(text)).toEqual(expect.arrayContaining(types));
  });

  it.each([
    'armed men attacked the village, killed 10 people, burned the houses, looted the shops and raped a woman',
    'situation calme mais une femme a été violée hier',
    'des hommes armés ont enlevé deux filles et les ont violées',
  ])('sexual violence is never lost: %s', (text) => {
    expect(allTypes(text)).toContain('sexual_violence');
  });

  it.each([
    ['Plateau: 4 killed, 40 houses burnt, farmlands destroyed', 'attack_on_civilians', 'looting_destruction'],
    ['ils ont tué deux personnes, pillé les boutiques et brûlé les greniers', 'attack_on_civilians', 'looting_destruction'],
    ['death toll from the cattle raid rises to 16', 'attack_on_civilians', 'looting_destruction'],
  ])('people killed come before property taken or burnt: %s', (text, primary, other) => {
    const c = classify(text);
    expect(c.threatType).toBe(primary);
    expect(c.otherThreatTypes).toContain(other);
  });

  it.each([
    ['ils ont pillé les boutiques et brûlé les greniers', 'looting_destruction'],
    ['les habitants fuient Djugu vers Bunia maintenant apres les attaques', 'displacement'],
  ])('property alone, or flight from attacks, keeps its type: %s', (text, type) => {
    expect(classify(text).threatType).toBe(type);
  });

  it('displaced people killed are the victims of an attack, not news of displacement', () => {
    expect(classify('3 IDPs killed and 26 injured in Darfur').threatType).toBe('attack_on_civilians');
  });

  it('the primary type is never repeated among the others', () => {
    const c = classify('kidnapped a young woman and raped her');
    expect(c.otherThreatTypes).not.toContain(c.threatType);
  });
});

describe('a threat against the population is at least high severity', () => {
  it.each([
    'Des hommes armés sont arrivés à moto ce matin, ils menacent la population',
    'des hommes armés menacent les habitants de Sofara',
    'armed men on motorbikes are threatening the population',
    'gunmen came this morning threatening villagers',
    'watu wenye silaha wanatishia wananchi',
    'مسلحين يهددون الناس',
  ])('%s', (text) => {
    const c = classify(text);
    expect(['imminent', 'ongoing']).toContain(c.urgency);
    expect(['high', 'critical']).toContain(severityOfTypes(c.threatType, c.otherThreatTypes, c.urgency));
  });

  it('the brief’s example is armed men about to act, not tension of the past', () => {
    const c = classify('Des hommes armés sont arrivés à moto ce matin, ils menacent la population');
    expect(c.threatType).toBe('armed_group_presence');
    expect(c.urgency).toBe('imminent');
  });
});

describe('the open data: split and cleaning', () => {
  it('splits by the event, the same way every time', () => {
    expect(splitOf('16380-0')).toBe(splitOf('16380-1'));
    const splits = Array.from({ length: 2000 }, (_, i) => splitOf(`${i}-0`));
    const share = (s: string) => splits.filter((x) => x === s).length / splits.length;
    expect(share('train')).toBeGreaterThan(0.55);
    expect(share('train')).toBeLessThan(0.65);
    expect(share('dev')).toBeGreaterThan(0.15);
    expect(share('test')).toBeGreaterThan(0.15);
  });

  it('maps UCDP types and cleans what a duty officer would call otherwise', () => {
    const row = (type: 1 | 2 | 3, headline: string) => ({ id: '1-0', country: 'Nigeria', type_of_violence: type, headline });
    expect(cleanRow(row(1, 'Troops kill 20 insurgents in Borno'))).toMatchObject({ threatType: 'armed_clash' });
    expect(cleanRow(row(3, 'Gunmen kill 12 villagers in Zamfara'))).toMatchObject({ threatType: 'attack_on_civilians' });
    expect(cleanRow(row(2, 'Herdsmen kill 10 in Benue community'))).toMatchObject({
      threatType: 'attack_on_civilians',
      rawThreatType: 'armed_clash',
    });
    expect(cleanRow(row(2, 'Ethnic clashes kill 20 in Darfur'))).toMatchObject({ threatType: 'armed_clash' });
    expect(cleanRow(row(3, 'Suicide bomber kills 12 at market'))).toBe('explosive device (target not told)');
    expect(cleanRow(row(1, 'Situation in Abyei S/2023/777'))).toBe('no violent act told');
    expect(cleanRow({ ...row(1, 'Fighting in Kidal'), country: 'Mali' })).toBe('held-out country');
  });
});

describe.skipIf(!existsSync(defaultUcdpPath))('the shipped target model', () => {
  it('is what the training script makes from the data (same seed, same split, same bytes)', () => {
    expect(trainedModelText()).toBe(readFileSync(bundledTargetModelPath, 'utf8'));
  }, 60_000);
});
