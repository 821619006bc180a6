import { setOfficerLanguage } from '../../../db/offices.js';
import { languagesWith } from '../../../i18n.js';
import { tr, type OfficerTurn } from './context.js';

/** /lang <code>: the officer's language for cards and replies (answered in the new language). */
export async function language(turn: OfficerTurn, wanted: string, languages: string[]): Promise<string> {
  const code = wanted.trim().toLowerCase();
  // Some languages have reporter texts only (locales/<lng>/reporter.json): not offered to officers.
  const offered = languages.filter((l) => languagesWith('officer').includes(l));
  if (!offered.includes(code)) return tr(turn, 'telegram.langUnknown', { languages: offered.join(', ') });
  await setOfficerLanguage(turn.deps.db, turn.officer.id, code);
  return tr({ ...turn, officer: { ...turn.officer, language: code } }, 'telegram.langSet');
}
