import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n.js';
import type { OfficerTurn } from '../../src/workflows/officers/telegram/context.js';
import { language } from '../../src/workflows/officers/telegram/language.js';

describe("officers' /lang", () => {
  it('offers only the languages with officer texts, not those reporters alone are written to in', async () => {
    const { t, languages } = await createI18n();
    expect(languages).toEqual(expect.arrayContaining(['sw', 'ar']));
    const turn = { deps: { t }, officer: { id: 'o-diallo', language: 'en' } } as unknown as OfficerTurn;
    expect(await language(turn, 'sw', languages)).toBe('Unknown language. Available: en, fr.');
  });
});
