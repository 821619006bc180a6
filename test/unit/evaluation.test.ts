import { describe, expect, it } from 'vitest';
import { classScores, macroF1Interval } from '../../src/evaluation/metrics.js';

const labels = ['attack_on_civilians', 'armed_clash'];
/** `n` headlines of one event each: the first `wrong` of every 10 given the other type. */
const headlines = (n: number, wrong: number) =>
  Array.from({ length: n }, (_, i) => {
    const expected = labels[i % 2]!;
    const actual = i % 10 < wrong ? labels[(i + 1) % 2]! : expected;
    return { expected, actual, group: `event-${i}` };
  });

describe('the 95% interval npm run eval prints beside a macro-F1', () => {
  it('holds the figure, and is narrower with more headlines of the same quality', () => {
    const few = headlines(100, 2);
    const many = headlines(2_000, 2);
    const figure = classScores(few, labels).macroF1;
    const [low, high] = macroF1Interval(few, labels);
    expect(low).toBeLessThan(figure);
    expect(high).toBeGreaterThan(figure);
    const [manyLow, manyHigh] = macroF1Interval(many, labels);
    expect(manyHigh - manyLow).toBeLessThan((high - low) / 2);
  });

  it('is a single point when every answer is right', () => {
    expect(macroF1Interval(headlines(200, 0), labels)).toEqual([1, 1]);
  });

  it('draws the headlines of one event together: one event of many wrong headlines widens it', () => {
    const oneEventWrong = headlines(200, 0).map((h, i) => (i < 40 ? { ...h, actual: labels[(i + 1) % 2]!, group: 'event-big' } : h));
    const spreadWrong = oneEventWrong.map((h, i) => ({ ...h, group: `event-${i}` }));
    const [groupedLow, groupedHigh] = macroF1Interval(oneEventWrong, labels);
    const [spreadLow, spreadHigh] = macroF1Interval(spreadWrong, labels);
    expect(groupedHigh - groupedLow).toBeGreaterThan(spreadHigh - spreadLow);
  });

  it('is the same on every run (a fixed seed)', () => {
    expect(macroF1Interval(headlines(300, 3), labels)).toEqual(macroF1Interval(headlines(300, 3), labels));
  });
});
