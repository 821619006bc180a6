import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedEdits, DeletionIndex, editDistance } from '../../src/gazetteer/fuzzy.js';

describe('misspelling tolerance', () => {
  it.each([
    ['kona', 'konna', 1],
    ['sofarra', 'sofara', 1],
    ['bandjagara', 'bandiagara', 1],
    ['ogosagou', 'ogossagou', 1],
    ['rutchuru', 'rutshuru', 1],
    ['mopti', 'motpi', 1],
    ['gao', 'goa', 1],
    ['gao', 'kidal', 4],
  ])('%s → %s: %i edit(s)', (a, b, d) => {
    expect(editDistance(a, b, 5)).toBe(d);
  });

  it('allows no edit below 5 letters, 1 up to 8, 2 above', () => {
    expect([4, 5, 8, 9, 12].map(allowedEdits)).toEqual([0, 1, 1, 2, 2]);
  });

  it('the bounded distance agrees with the full one up to the bound', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'k', 'o', 'u'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        const full = editDistance(a, b, 20);
        expect(editDistance(a, b, max)).toBe(full <= max ? full : max + 1);
        expect(editDistance(b, a, 20)).toBe(full);
      }),
    );
  });

  it('the deletion index finds every word within 2 edits of a 9+ letter word', () => {
    const index = new DeletionIndex();
    index.add('bandiagara', 2);
    index.add('kaga bandoro', 2);
    index.freeze();
    for (const typed of ['bandiagara', 'bandjagara', 'bandiagra', 'bandigaraa', 'badniagara']) {
      expect(index.candidates(typed, 2)).toContain('bandiagara');
    }
    expect(index.candidates('mopti', 2)).not.toContain('bandiagara');
  });
});
