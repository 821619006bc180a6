/**
 * Arabic-script place names ("بيراو") spelt out in Latin letters the way French-speaking
 * gazetteers write them ("biraou"), so the misspelling-tolerant look-up can find "Birao".
 * Approximate by nature: short vowels are not written in Arabic.
 */
const letters: Record<string, string> = {
  ا: 'a',
  ب: 'b',
  ت: 't',
  ث: 'th',
  ج: 'dj',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'dh',
  ر: 'r',
  ز: 'z',
  س: 's',
  ش: 'ch',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'z',
  ع: '',
  غ: 'gh',
  ف: 'f',
  ق: 'g',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'a',
  و: 'ou',
  ي: 'i',
  ى: 'a',
  ء: '',
  ئ: 'i',
  ؤ: 'ou',
  پ: 'p',
  چ: 'tch',
  گ: 'g',
  ڤ: 'v',
};

/** True when the normalised word is written in Arabic script. */
export function isArabicWord(word: string): boolean {
  return /\p{Script=Arabic}/u.test(word);
}

/** Latin spelling of a normalised Arabic-script word ("في" → "fi"). */
export function transliterateArabic(word: string): string {
  let out = '';
  for (const c of word) out += letters[c] ?? '';
  return out;
}
