import { threatTypes, type ThreatType, type Urgency } from '../domain/taxonomy.js';
import { normalizeText } from '../gazetteer/normalize.js';
import type { Classification } from './types.js';
import type { CueHit, CueMatcher } from './cues.js';
import { detectLanguage } from './language.js';
import type { ClassificationRules } from './lexicon.js';

/** Words after a negation cue within which a threat cue counts as denied ("pas d hommes armes"). */
const negationReach = 3;
const urgencyOrder: Urgency[] = ['ongoing', 'imminent', 'past'];

/** A message's words, normalised, with the reporter's own word each came from. */
interface Words {
  normal: string[];
  original: string[];
}

/**
 * Classifies a warning by lexicon cues: per threat type the sum of its non-negated cue weights,
 * adjusted by `rules.yaml` (implied types damped, calm reports damped); below `minScore` the
 * warning is `other`. Hearsay lowers the confidence; it never raises an alarm by itself.
 */
export function classifyWarning(text: string, matcher: CueMatcher, rules: ClassificationRules): Classification {
  const words = splitWords(text);
  const hits = matcher.match(words.normal);
  const negations = hits.filter((h) => h.cue.kind === 'negation');
  const denied = (h: CueHit) => negations.some((n) => h.start >= n.end && h.start - n.end < negationReach);
  const threatHits = hits.filter((h) => h.cue.kind === 'threat');
  const counted = threatHits.filter((h) => !denied(h));
  const deniedWeight = threatHits.filter(denied).reduce((sum, h) => sum + Math.max(0, h.cue.weight), 0);
  const reported = hits.some((h) => h.cue.kind === 'reported');
  const calm = hits.some((h) => h.cue.kind === 'calm' && !denied(h));

  const raw = new Map<ThreatType, number>();
  for (const h of counted) raw.set(h.cue.label as ThreatType, (raw.get(h.cue.label as ThreatType) ?? 0) + h.cue.weight);
  const scores = new Map<ThreatType, number>();
  for (const [type, score] of raw) scores.set(type, Math.max(0, score) * (calm ? rules.calmFactor : 1));
  for (const [type, implied] of Object.entries(rules.implies)) {
    if ((raw.get(type as ThreatType) ?? 0) < rules.minScore) continue;
    for (const other of implied ?? []) scores.set(other, (scores.get(other) ?? 0) * rules.impliedFactor);
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || rank(rules, a[0]) - rank(rules, b[0]));
  const [best, second] = ranked;
  const language = detectLanguage(text, hits, matcher);

  if (!best || best[1] < rules.minScore) {
    const confidence = deniedWeight >= rules.minScore || calm ? rules.negatedOtherConfidence : best ? 0.3 : 0.4;
    const evidence = hits.filter((h) => h.cue.kind === 'negation' || h.cue.kind === 'calm').map((h) => spanText(words, h));
    return { threatType: 'other', otherThreatTypes: [], urgency: 'unknown', confidence, evidence: unique(evidence), language };
  }
  const [type, score] = best;
  const runnerUp = second?.[1] ?? 0;
  let confidence = (1 - Math.exp(-score / 3)) * Math.sqrt(score / (score + runnerUp));
  if (reported) confidence *= rules.reportedFactor;
  if (deniedWeight > 0) confidence *= 0.8;
  const urgencyHits = hits.filter((h) => h.cue.kind === 'urgency');
  let urgency = chooseUrgency(urgencyHits) ?? rules.defaultUrgency[type] ?? 'unknown';
  if (reported && rules.reportedUrgency && urgency !== 'imminent') urgency = rules.reportedUrgency;
  const deciding = [
    ...counted.filter((h) => h.cue.label === type && h.cue.weight > 0),
    ...urgencyHits.filter((h) => h.cue.label === urgency),
    ...hits.filter((h) => h.cue.kind === 'reported'),
  ].sort((a, b) => a.start - b.start);
  // Anything else the message tells of in its own right (implied types were damped above).
  const otherThreatTypes = ranked.filter(([other, s]) => other !== type && s >= rules.minScore).map(([other]) => other);
  otherThreatTypes.sort((a, b) => rank(rules, a) - rank(rules, b));
  return {
    threatType: type,
    otherThreatTypes,
    urgency,
    confidence: Math.round(Math.min(0.97, Math.max(0.05, confidence)) * 100) / 100,
    evidence: unique(deciding.map((h) => spanText(words, h))),
    language,
  };
}

function chooseUrgency(hits: CueHit[]): Urgency | undefined {
  const totals = new Map<Urgency, number>();
  for (const h of hits) totals.set(h.cue.label as Urgency, (totals.get(h.cue.label as Urgency) ?? 0) + h.cue.weight);
  let best: Urgency | undefined;
  let bestScore = 0;
  for (const urgency of urgencyOrder) {
    const score = totals.get(urgency) ?? 0;
    if (score > bestScore) [best, bestScore] = [urgency, score];
  }
  return best;
}

function rank(rules: ClassificationRules, type: ThreatType): number {
  const i = rules.priority.indexOf(type);
  return i < 0 ? threatTypes.length : i;
}

/** Normalised words, each remembering the reporter's word it came from ("d'hommes" gives "d", "hommes"). */
function splitWords(text: string): Words {
  const normal: string[] = [];
  const original: string[] = [];
  for (const chunk of text.split(/\s+/)) {
    const clean = chunk.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{M}\p{N}]+$/gu, '');
    for (const word of normalizeText(chunk).split(' ')) {
      if (word === '') continue;
      normal.push(word);
      original.push(clean);
    }
  }
  return { normal, original };
}

function spanText(words: Words, hit: CueHit): string {
  return unique(words.original.slice(hit.start, hit.end)).join(' ');
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
