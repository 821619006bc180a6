import { isAlertReference, normaliseReference } from '../../domain/lifecycle.js';
import { outcomeIds, type OutcomeId } from '../../domain/taxonomy.js';
import type { OfficerAction } from './actions.js';

/** Words officers text (SMS, simulator) for each action, French and English. */
const commandWords: [RegExp, OfficerAction][] = [
  [/^(ok|ack|pec|recu|reçu)$/i, 'acknowledge'],
  [/^(en\s*cours|encours|responding|resp)$/i, 'responding'],
  [/^(fin|done|resolu|résolu|resolved|resolve)$/i, 'resolve'],
  [/^(faux|fausse|false|dismiss|classer)$/i, 'dismiss'],
  [/^(esc|escalade|escalate)$/i, 'escalate'],
];

/** What an officer may correct by text, and the words for it (French and English). */
const correctionWords: [RegExp, CorrectedField][] = [
  [/^type$/i, 'threatType'],
  [/^(lieu|place)$/i, 'place'],
  [/^(bureau|office)$/i, 'office'],
  [/^(gravite|gravité|severite|sévérité|severity)$/i, 'severity'],
];
export type CorrectedField = 'threatType' | 'severity' | 'place' | 'office';

/** Words for what was done, typed after `FIN <ref>` (French and English; the ids themselves too). */
const outcomeWords: [RegExp, OutcomeId][] = [
  [/^(patrol|patrols|patrouilles?|deploiement|déploiement|deployment)$/i, 'patrol'],
  [/^(engagement|dialogue|mediation|médiation)$/i, 'engagement'],
  [/^(authorities|autorites|autorités|fds|police|gendarmerie)$/i, 'authorities'],
  [/^(humanitarian|humanitaire|ong|ngo|referral|referencement|référencement)$/i, 'humanitarian'],
  [/^(no_action_possible|none|aucune?|rien|impossible)$/i, 'no_action_possible'],
  [/^(false_alarm|faux|fausse|false)$/i, 'false_alarm'],
];

/** The outcome a typed word stands for, or undefined. */
export function outcomeOfWord(word: string): OutcomeId | undefined {
  if ((outcomeIds as readonly string[]).includes(word.toLowerCase())) return word.toLowerCase() as OutcomeId;
  return outcomeWords.find(([pattern]) => pattern.test(word))?.[1];
}

export type OfficerCommand =
  | { action: OfficerAction; ref: string }
  /** `FIN A7K3Q patrouille dialogue <note>`: resolved, with what was done and an optional note. */
  | { action: 'resolve'; ref: string; outcomes: OutcomeId[]; note?: string }
  /** `DOUBLON A7K3Q B8M4R`: dismissed as a duplicate of another alert. */
  | { action: 'dismiss'; ref: string; duplicateOf: string }
  /** `SEPARER A7K3Q 3` / `SPLIT A7K3Q 3`: report 3 of the alert is not the same incident (an alert of its own). */
  | { action: 'split'; ref: string; n: number }
  /** `NOTE A7K3Q <text>`: a note on the alert's timeline. */
  | { action: 'note'; ref: string; text: string }
  | { action: 'reply'; ref: string; text: string }
  /** `TYPE <ref> <threat type>[ + <other type>…]`, `GRAVITE <ref> <severity>`, `LIEU <ref> <place>`, `BUREAU <ref> <office>`: `value` as typed. */
  | { action: 'correct'; ref: string; field: CorrectedField; value: string };

/**
 * Reads `OK A7K3Q`, `en cours a7k3q`, `FIN A7K3Q`, `R A7K3Q <message>` (a message for the
 * reporter) and the corrections `TYPE|GRAVITE|LIEU|BUREAU A7K3Q <value>`; null when it is not a command.
 */
export function parseOfficerCommand(text: string): OfficerCommand | null {
  const twoRefs = text.trim().match(/^(?:doublon|dup|duplicate)\s+([A-Za-z0-9]{5,6})\s+([A-Za-z0-9-]{5,7})$/i);
  if (twoRefs) {
    const [ref, duplicateOf] = [normaliseReference(twoRefs[1]!), normaliseReference(twoRefs[2]!)];
    return isAlertReference(ref) && isAlertReference(duplicateOf) ? { action: 'dismiss', ref, duplicateOf } : null;
  }
  const split = text.trim().match(/^(?:split|separer|séparer|separe|sépare)\s+([A-Za-z0-9]{5,6})\s+(\d{1,4})$/i);
  if (split && isAlertReference(normaliseReference(split[1]!))) return { action: 'split', ref: normaliseReference(split[1]!), n: Number(split[2]) };
  const note = text.trim().match(/^note\s+([A-Za-z0-9]{5,6})\s+(.+)$/is);
  if (note && isAlertReference(normaliseReference(note[1]!))) return { action: 'note', ref: normaliseReference(note[1]!), text: note[2]!.trim() };
  const resolved = resolveWithOutcomes(text);
  if (resolved) return resolved;
  const reply = text.trim().match(/^(?:r|rep|reponse|réponse|reply)\s+([A-Za-z0-9]{5,6})\s+(.+)$/is);
  if (reply && isAlertReference(normaliseReference(reply[1]!)))
    return { action: 'reply', ref: normaliseReference(reply[1]!), text: reply[2]!.trim() };
  const correction = text.trim().match(/^(\S+)\s+([A-Za-z0-9]{5,6})\s+(.+)$/s);
  const field = correction && correctionWords.find(([pattern]) => pattern.test(correction[1]!))?.[1];
  if (correction && field && isAlertReference(normaliseReference(correction[2]!))) {
    return { action: 'correct', ref: normaliseReference(correction[2]!), field, value: correction[3]!.trim() };
  }
  const match = text.trim().match(/^(.+?)\s+([A-Za-z0-9]{5,6})\s*$/);
  if (!match) return null;
  const [, word, ref] = match as unknown as [string, string, string];
  const found = commandWords.find(([pattern]) => pattern.test(word.trim()));
  const normalised = normaliseReference(ref);
  return found && isAlertReference(normalised) ? { action: found[1], ref: normalised } : null;
}

/** `FIN <ref> <outcome words…> [note]`: the outcome words first, whatever follows them is the note. */
function resolveWithOutcomes(text: string): OfficerCommand | null {
  const match = text.trim().match(/^(\S+)\s+([A-Za-z0-9]{5,6})\s+(.+)$/s);
  if (!match || commandWords.find(([pattern]) => pattern.test(match[1]!))?.[1] !== 'resolve') return null;
  const ref = normaliseReference(match[2]!);
  if (!isAlertReference(ref)) return null;
  const words = match[3]!.split(/[\s,;+]+/).filter(Boolean);
  const outcomes: OutcomeId[] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const outcome = outcomeOfWord(words[i]!);
    if (!outcome) break;
    if (!outcomes.includes(outcome)) outcomes.push(outcome);
  }
  if (outcomes.length === 0) return null;
  const note = words.slice(i).join(' ');
  return note ? { action: 'resolve', ref, outcomes, note } : { action: 'resolve', ref, outcomes };
}
