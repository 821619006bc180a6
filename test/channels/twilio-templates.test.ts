import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n.js';
import { analyseSms, fitsOneSegment, ucs2Culprits } from '../../src/channels/sms-segments.js';

const keys = Object.keys(JSON.parse(readFileSync(new URL('../../locales/fr/reporter.json', import.meta.url), 'utf8')) as Record<string, string>);
// What the placeholders hold at most in practice: a 5-character reference, the languages on offer,
// and for `question` a typical short officer question (its length is the officer's to choose).
const vars = { ref: 'A7K3Q', languages: 'EN, FR', text: 'Combien de personnes armées ? Où sont-elles ?' };

describe('what focal points receive by SMS fits one GSM-7 segment', async () => {
  const { t } = await createI18n();
  const cases = ['fr', 'en'].flatMap((language) => keys.map((key) => [language, key] as const));
  it.each(cases)('%s reporter:%s', (language, key) => {
    const text = t(language, `reporter:${key}`, vars);
    expect(text).not.toContain('{{');
    expect({ text, culprits: ucs2Culprits(text).map((c) => c.codePoint), ...analyseSms(text) }).toMatchObject({
      culprits: [],
      encoding: 'GSM-7',
      segments: 1,
    });
    expect(fitsOneSegment(text)).toBe(true);
  });
});
