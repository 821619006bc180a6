import { isAlertReference, normaliseReference } from '../domain/lifecycle.js';
import type { OfficerAction } from './actions.js';

/** Words officers text (SMS, simulator) for each action, French and English. */
const commandWords: [RegExp, OfficerAction][] = [
  [/^(ok|ack|pec|recu|reçu)$/i, 'acknowledge'],
  [/^(en\s*cours|encours|responding|resp)$/i, 'responding'],
  [/^(fin|done|resolu|résolu|resolved|resolve)$/i, 'resolve'],
  [/^(faux|fausse|false|dismiss|classer)$/i, 'dismiss'],
  [/^(esc|escalade|escalate)$/i, 'escalate'],
];

export type OfficerCommand = { action: OfficerAction; ref: string } | { action: 'reply'; ref: string; text: string };

/**
 * Reads `OK A7K3Q`, `en cours a7k3q`, `FIN A7K3Q`, and `R A7K3Q <message>` (a message for the
 * reporter); null when it is not a command.
 */
export function parseOfficerCommand(text: string): OfficerCommand | null {
  const reply = text.trim().match(/^(?:r|rep|reponse|réponse|reply)\s+([A-Za-z0-9]{5,6})\s+(.+)$/is);
  if (reply && isAlertReference(normaliseReference(reply[1]!))) return { action: 'reply', ref: normaliseReference(reply[1]!), text: reply[2]!.trim() };
  const match = text.trim().match(/^(.+?)\s+([A-Za-z0-9]{5,6})\s*$/);
  if (!match) return null;
  const [, word, ref] = match as unknown as [string, string, string];
  const found = commandWords.find(([pattern]) => pattern.test(word.trim()));
  const normalised = normaliseReference(ref);
  return found && isAlertReference(normalised) ? { action: found[1], ref: normalised } : null;
}
