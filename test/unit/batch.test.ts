import { describe, expect, it } from 'vitest';
import { batched } from '../../src/db/batch.js';

// The send step's statements are shared by concurrent jobs through `batched`: each job must still
// get its own answer, and a failed statement must fail every job that shared it (so all retry).
describe('batched statements', () => {
  it('answers calls made together with one run, each with its own result', async () => {
    const runs: number[][] = [];
    const double = batched(async (inputs: number[]) => {
      runs.push(inputs);
      return inputs.map((n) => n * 2);
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
    expect(await double(5)).toBe(10); // a lone call is not held back
    expect(runs).toHaveLength(2);
  });

  it('fails every call of a batch whose run fails, and recovers for the next', async () => {
    let fail = true;
    const run = batched(async (inputs: string[]) => {
      if (fail) throw new Error('connection lost');
      return inputs;
    });
    const results = await Promise.allSettled([run('a'), run('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await run('c')).toBe('c');
  });

  it('starts a new batch when one is full', async () => {
    const sizes: number[] = [];
    const run = batched(async (inputs: number[]) => {
      sizes.push(inputs.length);
      return inputs;
    }, 4);
    await Promise.all(Array.from({ length: 10 }, (_, i) => run(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });
});
