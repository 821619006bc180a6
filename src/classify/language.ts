import type { CueHit, CueMatcher } from './cues.js';
import { normalizeText } from '../gazetteer/normalize.js';

/** Languages whose words in a French or English message say more about the reporter than the lingua franca. */
const lingueFranche = new Set(['fr', 'en']);

/**
 * Guesses the message's language: marker words count 1, alarm and time cues 2, Arabic script 3;
 * local languages weigh 1.5 times, since their words in a French message are a strong sign of
 * the reporter's language. Null when nothing is recognised.
 */
export function detectLanguage(text: string, hits: readonly CueHit[], matcher: CueMatcher): string | null {
  const scores = new Map<string, number>();
  const add = (language: string, points: number) =>
    scores.set(language, (scores.get(language) ?? 0) + points * (lingueFranche.has(language) ? 1 : 1.5));
  for (const word of normalizeText(text).split(' ')) {
    for (const language of matcher.markers.get(word) ?? []) add(language, 1);
  }
  for (const hit of hits) {
    if (hit.cue.kind === 'threat' || hit.cue.kind === 'urgency') add(hit.cue.language, 2);
  }
  if ((text.match(/\p{Script=Arabic}/gu) ?? []).length >= 3) add('ar', 3);
  let best: string | null = null;
  let bestScore = 0;
  for (const [language, score] of scores) {
    if (score > bestScore) [best, bestScore] = [language, score];
  }
  return bestScore >= 1 ? best : null;
}
