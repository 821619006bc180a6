import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseSms, SEGMENT_CAPACITY, ucs2Culprits } from '../../src/channels/sms-segments.js';
import { createI18n, type I18n } from '../../src/i18n.js';
import { parseReporterCommand } from '../../src/workflows/reporters/commands.js';
import { reporterLanguage, reporterLanguages } from '../../src/workflows/reporters/language.js';
import type { WorkflowDeps } from '../../src/workflows/deps.js';

// What a focal point receives must reach a basic phone as one SMS: every reporter text, in every
// language, rendered with the longest values it takes in practice.
const localesDir = fileURLToPath(new URL('../../locales', import.meta.url));
const read = (lng: string): Record<string, string> => JSON.parse(readFileSync(path.join(localesDir, lng, 'reporter.json'), 'utf8'));
const placeholders = (template: string) => [...template.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!).sort();

const french = read('fr');
const keys = Object.keys(french);
/** Languages in Arabic script: UCS-2, 70 characters a segment. The others are written in GSM-7. */
const ucs2Languages = new Set(['ar']);
/**
 * The texts that cannot fit one segment, and how many they take. Arabic's help (what to write,
 * STOP, LANG EN and LANG FR) takes two UCS-2 segments: cut shorter it would lose the keywords.
 */
const longer: Record<string, number> = { 'ar:help': 2 };
/**
 * The longest values in practice: a reference (five characters; six after five collisions), the
 * languages on offer (all of them), and no officer text (question: see below).
 */
const worstCase = () => ({
  ref: 'A7K3QX',
  languages: reporterLanguages()
    .map((l) => l.toUpperCase())
    .join(', '),
  text: '',
});

describe('reporter texts in every language', () => {
  let i18n: I18n;
  beforeAll(async () => {
    i18n = await createI18n();
  });

  it('are offered in the seven languages of the missions', () => {
    expect(reporterLanguages()).toEqual(['ar', 'bm', 'en', 'fr', 'ln', 'sg', 'sw']);
    expect(readdirSync(localesDir)).toEqual(expect.arrayContaining([...reporterLanguages(), 'README.md']));
  });

  it.each(reporterLanguages().filter((l) => l !== 'fr'))('%s has every key French has, with the same variables', (language) => {
    const texts = read(language);
    expect(Object.keys(texts).sort()).toEqual([...keys].sort());
    for (const key of keys) expect({ key, vars: placeholders(texts[key]!) }).toEqual({ key, vars: placeholders(french[key]!) });
  });

  const cases = reporterLanguages().flatMap((language) => keys.map((key) => [language, key] as const));
  it.each(cases)('%s reporter:%s fits one segment', (language, key) => {
    const text = i18n.t(language, `reporter:${key}`, worstCase());
    expect(text).not.toContain('{{');
    const analysis = analyseSms(text);
    const encoding = ucs2Languages.has(language) ? 'UCS-2' : 'GSM-7';
    // Latin-script texts use the GSM-7 spelling people text (no ɛ ɔ ŋ, no typographic quotes).
    if (encoding === 'GSM-7') expect(ucs2Culprits(text).map((c) => `${c.char} ${c.codePoint}`)).toEqual([]);
    expect({ text, encoding: analysis.encoding, segments: analysis.segments }).toEqual({
      text,
      encoding,
      segments: longer[`${language}:${key}`] ?? 1,
    });
  });

  it.each(reporterLanguages())("%s: an officer's question leaves room for the officer's words in one segment", (language) => {
    const fixed = i18n.t(language, 'reporter:question', worstCase());
    const { encoding, units } = analyseSms(fixed);
    const room = SEGMENT_CAPACITY[encoding].single - units;
    expect(room).toBeGreaterThanOrEqual(encoding === 'GSM-7' ? 100 : 40);
  });

  it('are translated: no French copy left behind, and each names its own code', () => {
    for (const language of reporterLanguages()) {
      if (language === 'fr') continue;
      expect(read(language).confirmation, language).not.toBe(french.confirmation);
      expect(read(language).languageSet, language).toContain(language.toUpperCase());
    }
  });
});

describe('the language a reporter is written to in', () => {
  const detected = new Map<string, string | null>();
  let reads = 0;
  const deps = {
    deployment: { defaultLanguage: 'fr' },
    analyser: {
      language: (text: string) => {
        reads++;
        return detected.get(text) ?? null;
      },
    },
  } as unknown as Pick<WorkflowDeps, 'analyser' | 'deployment'>;
  detected.set('watu wenye silaha', 'sw');
  detected.set('armed men', 'en');
  detected.set('mots en wolof', 'wo');
  const classified = (language: string | null) => ({ language, classifiedAt: new Date() });

  it("is the reporter's own, chosen, registered or learnt, whatever they write", () => {
    expect(reporterLanguage(deps, { language: 'sw' }, { text: 'armed men' })).toBe('sw');
    expect(reporterLanguage(deps, { language: 'bm' }, { alert: classified('en') })).toBe('bm');
  });

  it("for a first-time reporter, the language detected in their message: the classified alert's, or read from the text", () => {
    reads = 0;
    expect(reporterLanguage(deps, { language: null }, { alert: classified('ln'), text: 'armed men' })).toBe('ln');
    expect(reads).toBe(0);
    expect(reporterLanguage(deps, { language: null }, { alert: { language: null, classifiedAt: null }, text: 'watu wenye silaha' })).toBe('sw');
    expect(reporterLanguage(deps, { language: null }, { text: 'armed men' })).toBe('en');
  });

  it("falls back to the deployment's language when nothing tells, or the language has no texts", () => {
    expect(reporterLanguage(deps, { language: null })).toBe('fr');
    expect(reporterLanguage(deps, null, { text: 'xyz' })).toBe('fr');
    expect(reporterLanguage(deps, { language: null }, { alert: classified(null), text: 'armed men' })).toBe('fr');
    expect(reporterLanguage(deps, { language: null }, { text: 'mots en wolof' })).toBe('fr');
    expect(reporterLanguage(deps, { language: 'wo' }, { text: 'watu wenye silaha' })).toBe('sw');
    expect(reporterLanguage({ ...deps, deployment: { defaultLanguage: 'en' } } as typeof deps, { language: null })).toBe('en');
  });
});

describe('LANG', () => {
  it.each([
    ['LANG SW', 'sw'],
    ['lang ar', 'ar'],
    ['Langue LN', 'ln'],
    ['LANG sg', 'sg'],
    ['LANG BM', 'bm'],
    ['LANG EN', 'en'],
    ['LANGUE FR', 'fr'],
    ['LANG Kiswahili', 'sw'],
    ['langue bambara', 'bm'],
    ['LANG Lingala', 'ln'],
    ['LANG SANGO', 'sg'],
    ['langue arabe', 'ar'],
    ['LANGUE Français', 'fr'],
    ['LANG swa', 'sw'],
    ['lang xx', 'xx'],
  ])('%s asks for %s', (text, language) => {
    expect(parseReporterCommand(text)).toEqual({ kind: 'language', language });
  });

  it('is no keyword with a word that names no language: the message is a warning', () => {
    expect(parseReporterCommand('langue constructor')).toBeNull();
    expect(parseReporterCommand('LANG attaque')).toBeNull();
    expect(parseReporterCommand('msaada')).toBeNull();
  });
});
