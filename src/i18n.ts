import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type Resource } from 'i18next';

/** Translates a key for one recipient's language, falling back to French then English. */
export type Translate = (language: string | null | undefined, key: string, vars?: Record<string, unknown>) => string;

const localesDir = fileURLToPath(new URL('../locales', import.meta.url));

/** Reads every `locales/<lng>/<namespace>.json`. */
function readLocales(dir: string): { resources: Resource; languages: string[]; namespaces: string[] } {
  const resources: Resource = {};
  const namespaces = new Set<string>();
  for (const lng of readdirSync(dir)) {
    resources[lng] = {};
    for (const file of readdirSync(path.join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      const ns = file.replace(/\.json$/, '');
      namespaces.add(ns);
      resources[lng][ns] = JSON.parse(readFileSync(path.join(dir, lng, file), 'utf8'));
    }
  }
  return { resources, languages: Object.keys(resources), namespaces: [...namespaces] };
}

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
  return {
    languages,
    t: (language, key, vars) => instance.t(key, { ...vars, lng: language && languages.includes(language) ? language : 'fr' }),
  };
}
