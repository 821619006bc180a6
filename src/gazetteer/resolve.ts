import { registeredPlace, type Place, type PlaceHint, type PlaceMatch } from '../domain/place.js';
import type { NameSpan, PlaceIndex } from './index.js';
import { normalizeName, tokenize } from './normalize.js';
import { isArabicWord, transliterateArabic } from './transliterate.js';

/** Words that, just before a name, say "this is a place" (à Konna, près de Sofara, near Beni). */
const placeCues = new Set([
  'a',
  'au',
  'aux',
  'de',
  'du',
  'des',
  'dans',
  'vers',
  'sur',
  'pres',
  'cote',
  'village',
  'localite',
  'commune',
  'cercle',
  'entre',
  'et',
  'at',
  'in',
  'near',
  'to',
  'from',
  'of',
  'around',
  'towards',
  'road',
  'axe',
  'route',
  'quartier',
  'secteur',
  'territoire',
  'ya',
  'na',
  'ti',
  'kati',
  'huko',
  'ba',
  'la',
]);

interface Candidate {
  span: NameSpan;
  score: number;
  chain: string[];
}

/** Confidence given to the reporter's registered place when the message names none. */
export const registeredPlaceConfidence = 0.4;

/**
 * Finds the place a warning is about. Ambiguous names are resolved with admin names in the same
 * message ("Koula, Tominian") and with the reporter's registered place (same admin2, then admin1);
 * a smaller unit beats a larger one when both are named. Falls back to the registered place.
 */
export function findPlaceIn(index: PlaceIndex, text: string, hint: PlaceHint = {}): PlaceMatch | null {
  const words = tokenize(text).map((w) => (isArabicWord(w) && !index.isStopWord(w) ? transliterateArabic(w) : w));
  const spans = index.scan(words);
  const registered = hint.registeredPlaceId == null ? undefined : index.place(hint.registeredPlaceId);
  if (spans.length === 0) {
    return registered ? { place: registered, confidence: registeredPlaceConfidence, matched: registeredPlace } : null;
  }
  const mentioned = spans.map((s) => ({ span: s, name: s.canonical }));
  const candidates: Candidate[] = spans.map((span) => {
    const chain = adminChain(span.place);
    const corroborated = mentioned.some((m) => !overlaps(m.span, span) && m.name !== span.canonical && chain.includes(m.name));
    return { span, chain, score: score(span, words, corroborated, registered, chain) };
  });
  candidates.sort((a, b) => b.score - a.score || depth(b.span.place) - depth(a.span.place));
  const best = candidates[0] as Candidate;
  const rival = candidates.find((c) => c.span.place !== best.span.place && !nested(c.chain, best.chain));
  let confidence = Math.min(0.97, Math.max(0.05, 0.3 + 0.55 * best.score));
  if (rival && best.score - rival.score < 0.15) confidence *= 0.75;
  const matched = text.length > 0 ? originalWords(text, best.span) : best.span.canonical;
  return { place: best.span.place, confidence: round(confidence), matched };
}

function score(span: NameSpan, words: readonly string[], corroborated: boolean, registered: Place | undefined, chain: string[]): number {
  const length = span.canonical.replace(/ /g, '').length;
  const cue = span.start > 0 && placeCues.has(words[span.start - 1] as string);
  let s = 1 - 0.15 * span.edits + 0.05 * (span.end - span.start - 1) + 0.03 * depth(span.place);
  if (length <= 3 && !cue && !corroborated) s -= 0.3;
  else if (length === 4 && !cue && !corroborated) s -= 0.1;
  if (cue) s += 0.08;
  if (corroborated) s += 0.35;
  if (registered) {
    const home = adminChain(registered);
    if (registered === span.place) s += 0.35;
    else if (home[1] !== undefined && home[1] === chain[1] && home[0] === chain[0]) s += 0.3;
    else if (home[0] !== undefined && home[0] === chain[0]) s += 0.15;
  }
  return s;
}

/** The place's normalised admin names from the top down, then its own name. */
function adminChain(place: Place): string[] {
  const chain = [place.admin1, place.admin2, place.admin3].filter((a): a is string => a !== null).map(normalizeName);
  const own = normalizeName(place.name);
  if (chain[chain.length - 1] !== own) chain.push(own);
  return chain;
}

/** True when one chain continues the other (Mopti region, Mopti cercle, Mopti arrondissement). */
function nested(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((name, i) => long[i] === name);
}

/** Administrative depth: the gazetteer's level, or inferred from how many admins are filled in. */
export function depth(place: Place): number {
  return place.level ?? [place.admin1, place.admin2, place.admin3].filter((a) => a !== null).length + 1;
}

function overlaps(a: NameSpan, b: NameSpan): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The message's own words for a span (keeps the reporter's spelling on the officer's card). */
function originalWords(text: string, span: NameSpan): string {
  const words = text.split(/[^\p{L}\p{M}\p{N}]+/u).filter((w) => w !== '');
  const slice = words.slice(span.start, span.end).join(' ');
  return slice !== '' && tokenize(slice).length === span.end - span.start ? slice : span.canonical;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
