/**
 * Misspelling tolerance for place names: how many edits a name of a given length allows, an
 * edit distance that stops early, and deletion keys for a symmetric-delete index (SymSpell style),
 * so a misspelt word finds its names without comparing it to every name.
 */

/** Edits allowed when matching a name word: none below 5 letters, 1 for 5–8, 2 above 8. */
export function allowedEdits(nameWordLength: number): number {
  if (nameWordLength < 5) return 0;
  return nameWordLength <= 8 ? 1 : 2;
}

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent swaps),
 * or `max + 1` as soon as it is certain to exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const width = b.length + 1;
  let before = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] as number) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  const distance = previous[b.length] as number;
  return distance > max ? max + 1 : distance;
}

/** Every string obtained by deleting up to `depth` characters (the word itself included). */
export function deletions(word: string, depth: number): Set<string> {
  const found = new Set([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d += 1) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i += 1) {
        const shorter = w.slice(0, i) + w.slice(i + 1);
        if (!found.has(shorter)) {
          found.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return found;
}

/** 32-bit FNV-1a hash: deletion keys are stored as numbers to keep a 50,000-name index small. */
export function hashKey(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
