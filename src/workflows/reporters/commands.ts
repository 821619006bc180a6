import { updateFocalPoint, type FocalPointRow } from '../../db/focal-points.js';
import type { WorkflowDeps } from '../deps.js';
import { languageCode, reporterLanguage, reporterLanguages } from './language.js';

/**
 * Keywords a reporter may text instead of a warning (French and English; case and accents
 * forgiven). There are none in the local languages on purpose: a one-word SMS such as "msaada"
 * (help!) may be a cry for help, which must reach the mission as a warning.
 */
export type ReporterCommand = { kind: 'stop' } | { kind: 'start' } | { kind: 'help' } | { kind: 'language'; language: string };

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();

/** Reads STOP/ARRET, START/DEBUT, AIDE/HELP, LANGUE/LANG <code or name>; null for anything else (a warning). */
export function parseReporterCommand(text: string): ReporterCommand | null {
  const words = fold(text)
    .replace(/[.!]+$/, '')
    .split(/\s+/);
  if (words.length === 1) {
    const [word] = words as [string];
    // Twilio's own opt-out words too (CANCEL, END, QUIT…): Twilio blocks the number anyway.
    if (['stop', 'arret', 'arreter', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit'].includes(word)) return { kind: 'stop' };
    if (['start', 'debut', 'reprendre', 'unstop'].includes(word)) return { kind: 'start' };
    if (['aide', 'help', 'info', '/start', '/help', '/aide'].includes(word)) return { kind: 'help' };
  }
  const code = words.length === 2 && ['langue', 'lang', 'language'].includes(words[0]!) ? languageCode(words[1]!) : null;
  if (code) return { kind: 'language', language: code };
  return null;
}

/**
 * Applies STOP, START, HELP, LANG; the answer is in the reporter's language (see reporterLanguage:
 * a first-time reporter's keyword is answered in the deployment's default language), and after
 * STOP there is none at all. LANG accepts the languages Tamtam has reporter texts in.
 */
export async function applyReporterCommand(
  deps: WorkflowDeps,
  reporter: FocalPointRow,
  command: ReporterCommand,
  languages: string[],
): Promise<{ outcome: 'opt_out' | 'command'; reply: string | null }> {
  let language = reporterLanguage(deps, reporter);
  const offered = languages.filter((l) => reporterLanguages().includes(l));
  let key: string;
  const vars: Record<string, unknown> = {};
  if (command.kind === 'stop') {
    await updateFocalPoint(deps.db, reporter.id, { optedOut: true });
    return { outcome: 'opt_out', reply: null };
  }
  if (command.kind === 'start') {
    await updateFocalPoint(deps.db, reporter.id, { optedOut: false });
    key = 'started';
  } else if (command.kind === 'help') {
    key = 'help';
  } else if (offered.includes(command.language)) {
    await updateFocalPoint(deps.db, reporter.id, { language: command.language });
    language = command.language;
    key = 'languageSet';
  } else {
    key = 'languageUnknown';
    vars.languages = offered.map((l) => l.toUpperCase()).join(', ');
  }
  const silent = reporter.optedOut && command.kind !== 'start';
  return { outcome: 'command', reply: silent ? null : deps.t(language, `reporter:${key}`, vars) };
}
