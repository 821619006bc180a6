import { isAlertReference, normaliseReference } from '../../domain/lifecycle.js';
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
];
export type CorrectedField = 'threatType' | 'place' | 'office';

export type OfficerCommand =
  | { action: OfficerAction; ref: string }
  | { action: 'reply'; ref: string; text: string }
  /** `TYPE <ref> <threat type>`, `LIEU <ref> <place>`, `BUREAU <ref> <office>`: `value` as typed. */
  | { action: 'correct'; ref: string; field: CorrectedField; value: string };

/**
 * Reads `OK A7K3Q`, `en cours a7k3q`, `FIN A7K3Q`, `R A7K3Q <message>` (a message for the
 * reporter) and the corrections `TYPE|LIEU|BUREAU A7K3Q <value>`; null when it is not a command.
 */
export function parseOfficerCommand(text: string): OfficerCommand | null {
  const reply = text.trim().match(/^(?:r|rep|reponse|réponse|reply)\s+([A-Za-z0-9]{5,6})\s+(.+)$/is);
  if (reply && isAlertReference(normaliseReference(reply[1]!))) return { action: 'reply', ref: normaliseReference(reply[1]!), text: reply[2]!.trim() };
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
