import type { AlertRow } from '../../db/alerts.js';
import type { FocalPointRow } from '../../db/focal-points.js';
import { languagesWith } from '../../i18n.js';
import type { WorkflowDeps } from '../deps.js';

/** The languages reporters can be written to in: those with `locales/<lng>/reporter.json`. */
export const reporterLanguages = (): readonly string[] => languagesWith('reporter');

const hasLocale = (language: string | null | undefined): language is string => !!language && reporterLanguages().includes(language);

/**
 * The language Tamtam writes to a reporter in; the one choice, used for every message to a
 * reporter (confirmation, follow-up thanks, officers' questions, keyword answers):
 *
 * 1. the reporter's own language: chosen with LANG, given in the deployment file, or learnt from
 *    their first warning (focal_points.language; never overwritten by a later guess);
 * 2. else the language detected in the message being answered: the alert's, when the classifier
 *    has read it (an alert classified as it was written carries it), else read from `text`
 *    (a first-time reporter whose alert's stages run as jobs, or a reporter who never warned);
 * 3. else the deployment's default language.
 *
 * A language Tamtam has no reporter texts in is passed over at every step.
 */
export function reporterLanguage(
  deps: Pick<WorkflowDeps, 'analyser' | 'deployment'>,
  reporter: Pick<FocalPointRow, 'language'> | null,
  seen: { alert?: Pick<AlertRow, 'language' | 'classifiedAt'> | null; text?: string | null } = {},
): string {
  if (hasLocale(reporter?.language)) return reporter.language;
  const { alert, text } = seen;
  // A classified alert's language is what the classifier made of its text: no need to read it again.
  const detected = alert?.classifiedAt ? alert.language : text ? deps.analyser.language(text) : (alert?.language ?? null);
  if (hasLocale(detected)) return detected;
  return deps.deployment.defaultLanguage;
}

/** What reporters may write after LANG besides the ISO 639-1 code: ISO 639-2 codes and the languages' names. */
const languageNames: Record<string, string> = {
  fra: 'fr',
  fre: 'fr',
  francais: 'fr',
  french: 'fr',
  eng: 'en',
  anglais: 'en',
  english: 'en',
  ara: 'ar',
  arabe: 'ar',
  arabic: 'ar',
  swa: 'sw',
  swahili: 'sw',
  kiswahili: 'sw',
  lin: 'ln',
  lingala: 'ln',
  sag: 'sg',
  sango: 'sg',
  bam: 'bm',
  bambara: 'bm',
  bamanankan: 'bm',
  bamanan: 'bm',
};

/** The language code a reporter means after LANG (`sw`, `SWA`, `Kiswahili`), lower case; null if it is no language name or code. */
export function languageCode(word: string): string | null {
  const folded = word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (Object.hasOwn(languageNames, folded)) return languageNames[folded]!;
  return /^[a-z]{2,3}$/.test(folded) ? folded : null;
}
