import { setOfficerLanguage } from '../../../db/offices.js';
import { tr, type OfficerTurn } from './context.js';

/** /lang <code>: the officer's language for cards and replies (answered in the new language). */
export async function language(turn: OfficerTurn, wanted: string, languages: string[]): Promise<string> {
  const code = wanted.trim().toLowerCase();
  if (!languages.includes(code)) return tr(turn, 'telegram.langUnknown', { languages: languages.join(', ') });
  await setOfficerLanguage(turn.deps.db, turn.officer.id, code);
  return tr({ ...turn, officer: { ...turn.officer, language: code } }, 'telegram.langSet');
}
