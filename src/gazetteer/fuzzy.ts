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

/** Word numbers take the low 21 bits of a packed entry: up to 2,097,152 distinct first words. */
const wordBits = 2 ** 21;

/**
 * A symmetric-delete index over words, kept in typed arrays (each entry packs a 32-bit deletion
 * hash and a word number into one float64, sorted) so 50,000 names with up to 2 deletions each
 * take a few megabytes and leave nothing for the garbage collector. Add every word, then
 * `freeze()`, then look up.
 */
export class DeletionIndex {
  private readonly words: string[] = [];
  private entries = new Float64Array(1024);
  private size = 0;
  private hashes = new Uint32Array(0);
  private wordNumbers = new Uint32Array(0);

  /** Indexes `word` with its deletions up to `depth` characters. */
  add(word: string, depth: number): void {
    const number = this.words.length;
    if (number >= wordBits) throw new RangeError(`more than ${wordBits} distinct name words`);
    this.words.push(word);
    for (const key of deletions(word, depth)) {
      if (this.size === this.entries.length) {
        const grown = new Float64Array(this.entries.length * 2);
        grown.set(this.entries);
        this.entries = grown;
      }
      this.entries[this.size] = hashKey(key) * wordBits + number;
      this.size += 1;
    }
  }

  /** Sorts the index; call once after the last `add`. */
  freeze(): void {
    if (this.size === 0 && this.hashes.length > 0) return;
    const sorted = this.entries.subarray(0, this.size).sort();
    this.hashes = new Uint32Array(this.size);
    this.wordNumbers = new Uint32Array(this.size);
    for (let i = 0; i < this.size; i += 1) {
      const entry = sorted[i] as number;
      this.hashes[i] = Math.floor(entry / wordBits);
      this.wordNumbers[i] = entry % wordBits;
    }
    this.entries = new Float64Array(0);
    this.size = 0;
  }

  /** Indexed words sharing a deletion (up to `depth`) with `word`; callers check the real distance. */
  candidates(word: string, depth: number): Set<string> {
    const found = new Set<string>();
    for (const key of deletions(word, depth)) {
      const hash = hashKey(key);
      for (let i = lowerBound(this.hashes, hash); i < this.hashes.length && this.hashes[i] === hash; i += 1) {
        found.add(this.words[this.wordNumbers[i] as number] as string);
      }
    }
    return found;
  }
}

function lowerBound(sorted: Uint32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
