import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fc from 'fast-check';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTemplate, createI18n, type I18n } from '../../src/i18n.js';

// Tamtam fills simple templates itself (cards are rendered for every alert); whatever it renders
// must read exactly as i18next renders it, for every message of every language.
const localesDir = fileURLToPath(new URL('../../locales', import.meta.url));
const languages = readdirSync(localesDir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? [entry.name] : []));

function flatten(tree: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : flatten(v as Record<string, unknown>, `${prefix}${k}.`),
  );
}

const messages = languages.flatMap((lng) =>
  readdirSync(path.join(localesDir, lng)).flatMap((file) => {
    const ns = file.replace(/\.json$/, '');
    return flatten(JSON.parse(readFileSync(path.join(localesDir, lng, file), 'utf8'))).map(([key, template]) => ({
      lng,
      key: `${ns}:${key}`,
      template,
    }));
  }),
);
const placeholders = (template: string) => [...template.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!);

describe('translations', () => {
  let i18n: I18n;
  let reference: typeof i18next;
  beforeAll(async () => {
    i18n = await createI18n();
    reference = i18next.createInstance();
    const resources = Object.fromEntries(
      languages.map((lng) => [
        lng,
        Object.fromEntries(
          readdirSync(path.join(localesDir, lng)).map((f) => [
            f.replace(/\.json$/, ''),
            JSON.parse(readFileSync(path.join(localesDir, lng, f), 'utf8')),
          ]),
        ),
      ]),
    );
    await reference.init({ resources, defaultNS: 'common', fallbackLng: ['fr', 'en'], interpolation: { escapeValue: false }, returnNull: false });
  });

  it('reads as i18next renders it, for every message of every language, whatever the values', () => {
    expect(messages.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.constantFrom(...messages), fc.string(), fc.integer({ min: -5, max: 5_000 }), ({ lng, key, template }, text, n) => {
        const vars = Object.fromEntries(placeholders(template).map((name, i) => [name, i % 2 ? n : `${text}·${name}`]));
        expect(i18n.t(lng, key, vars)).toBe(reference.t(key, { ...vars, lng }));
      }),
      { numRuns: 2_000 },
    );
  });

  it('falls back as i18next does: a missing value, an unknown language, plurals', () => {
    expect(i18n.t('en', 'officer:card.title', { ref: 'A7K3Q' })).toBe(reference.t('officer:card.title', { ref: 'A7K3Q', lng: 'en' }));
    expect(i18n.t('xx', 'reporter:confirmation', { ref: 'A7K3Q' })).toBe(reference.t('reporter:confirmation', { ref: 'A7K3Q', lng: 'fr' }));
    expect(i18n.t('en', 'officer:correction.rerouted', { office: 'Gao', count: 1 })).toBe('moved to Gao (1 recipient notified)');
    expect(i18n.t('en', 'officer:correction.rerouted', { office: 'Gao', count: 3 })).toBe('moved to Gao (3 recipients notified)');
  });

  it('leaves templates with more than plain placeholders to i18next', () => {
    expect(compileTemplate('Hello {{name}}')?.({ name: 'Awa' })).toBe('Hello Awa');
    expect(compileTemplate('Hello {{name}}')?.({})).toBeNull();
    expect(compileTemplate('Hello {{- name}}')).toBeNull();
    expect(compileTemplate('$t(common:ok) {{name}}')).toBeNull();
    expect(compileTemplate('{{value, number}}')).toBeNull();
  });
});
