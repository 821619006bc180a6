import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type Resource } from 'i18next';
import { memo } from './memo.js';

/** Translates a key for one recipient's language, falling back to French then English. */
export type Translate = (language: string | null | undefined, key: string, vars?: Record<string, unknown>) => string;

const localesDir = fileURLToPath(new URL('../locales', import.meta.url));

/** The language folders of `locales/` (README.md sits beside them). */
const languageDirs = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

/** Reads every `locales/<lng>/<namespace>.json`. */
function readLocales(dir: string): { resources: Resource; languages: string[]; namespaces: string[] } {
  const resources: Resource = {};
  const namespaces = new Set<string>();
  for (const lng of languageDirs(dir)) {
    resources[lng] = {};
    for (const file of readdirSync(path.join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      const ns = file.replace(/\.json$/, '');
      namespaces.add(ns);
      resources[lng][ns] = JSON.parse(readFileSync(path.join(dir, lng, file), 'utf8'));
    }
  }
  return { resources, languages: Object.keys(resources), namespaces: [...namespaces] };
}

/**
 * The languages that have `locales/<lng>/<namespace>.json` (e.g. `reporter`: the languages a
 * reporter can be answered in), sorted; read once per folder and namespace.
 */
export function languagesWith(namespace: string, dir = localesDir): readonly string[] {
  return withNamespace(`${dir}\u0000${namespace}`);
}

const withNamespace = memo((dirAndNamespace) => {
  const [dir, namespace] = dirAndNamespace.split('\u0000') as [string, string];
  return Object.freeze(
    languageDirs(dir)
      .filter((lng) => existsSync(path.join(dir, lng, `${namespace}.json`)))
      .sort(),
  );
});

export interface I18n {
  t: Translate;
  languages: string[];
}

export async function createI18n(dir = localesDir): Promise<I18n> {
  const { resources, languages, namespaces } = readLocales(dir);
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    ns: namespaces,
    defaultNS: 'common',
    fallbackLng: ['fr', 'en'],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const i18nextT: Translate = (lng, key, vars) => instance.t(key, { ...vars, lng: lng! });
  const compiled = memo((lngAndKey) => {
    const [lng, key] = lngAndKey.split('\u0000') as [string, string];
    return compileTemplate(instance.t(key, { lng, skipInterpolation: true }));
  });
  return {
    languages,
    t: (language, key, vars) => {
      const lng = language && languages.includes(language) ? language : 'fr';
      // Plurals and contexts pick another key: i18next's own business.
      if (vars && ('count' in vars || 'context' in vars)) return i18nextT(lng, key, vars);
      return compiled(`${lng}\u0000${key}`)?.(vars) ?? i18nextT(lng, key, vars);
    },
  };
}

const placeholder = /\{\{\s*([\w.]+)\s*\}\}/g;

/**
 * A translation with nothing but `{{name}}` placeholders, as a function that fills them in:
 * cards and confirmations are rendered for every alert, and i18next's general machinery
 * (nesting, formats, escaping) costs far more than the filling. Returns null for any template
 * that uses more than that (i18next renders it); the function returns null when a value is
 * missing or not a plain string or number (i18next decides what to do).
 */
export function compileTemplate(template: unknown): ((vars?: Record<string, unknown>) => string | null) | null {
  if (typeof template !== 'string' || template.includes('$t(') || template.replace(placeholder, '').includes('{{')) return null;
  const parts = template.split(placeholder); // literal, name, literal, name, …, literal
  if (parts.length === 1) return () => template;
  return (vars) => {
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const value = vars?.[parts[i]!];
      if (typeof value === 'string') out += value;
      else if (typeof value === 'number' && Number.isFinite(value)) out += String(value);
      else return null;
      out += parts[i + 1]!;
    }
    return out;
  };
}
