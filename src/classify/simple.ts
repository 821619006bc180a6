// Interim analyser: a handful of keywords and exact place names. Replaced by the lexicon
// classifier and gazetteer index (createWarningAnalyser) behind the same interface.
import type { ThreatType } from '../domain/taxonomy.js';
import type { Classification, Place, PlaceHint, PlaceMatch, WarningAnalyser } from './types.js';

const keywords: [RegExp, ThreatType][] = [
  [/\b(tu[ée]s?|tir[ée]?s?|attaqu\w*|killed|shot|attack\w*)\b/i, 'attack_on_civilians'],
  [/\b(hommes? arm[ée]s?|armed men|moto\w*)\b/i, 'armed_group_presence'],
  [/\b(enlev\w*|kidnap\w*|abduct\w*)\b/i, 'abduction'],
  [/\b(viol\w*|rape\w*)\b/i, 'sexual_violence'],
  [/\b(pill\w*|br[uû]l\w*|loot\w*|burn\w*)\b/i, 'looting_destruction'],
  [/\b(mine|engin|explos\w*|ied)\b/i, 'explosive_device'],
  [/\b(fui\w*|d[ée]plac[ée]s?|fled|fleeing|displaced)\b/i, 'displacement'],
];
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function createSimpleAnalyser(places: Place[]): WarningAnalyser {
  const byName = new Map<string, Place>();
  for (const p of places) byName.set(fold(p.name), byName.get(fold(p.name)) ?? p);
  const byId = new Map(places.map((p) => [p.id, p]));
  return {
    classify(text): Classification {
      const hit = keywords.find(([re]) => re.test(text));
      return { threatType: hit?.[1] ?? 'other', urgency: 'unknown', confidence: hit ? 0.5 : 0.1, evidence: hit ? [text.match(hit[0])![0]] : [], language: null };
    },
    findPlace(text, hint: PlaceHint = {}): PlaceMatch | null {
      for (const word of fold(text).split(/[^\p{L}\p{N}]+/u)) {
        const place = word.length >= 4 ? byName.get(word) : undefined;
        if (place) return { place, confidence: 0.6, matched: word };
      }
      const registered = hint.registeredPlaceId ? byId.get(hint.registeredPlaceId) : undefined;
      return registered ? { place: registered, confidence: 0.3, matched: 'registered place' } : null;
    },
  };
}
