import { seededRandom } from '../classify/train.js';

/** Precision, recall and F1 of one class. */
export interface ClassScore {
  label: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Per-class scores and their unweighted mean F1 over the given labels. */
export function classScores(
  pairs: readonly { expected: string; actual: string }[],
  labels: readonly string[],
): { perClass: ClassScore[]; macroF1: number } {
  const perClass = labels.map((label) => {
    const tp = pairs.filter((p) => p.expected === label && p.actual === label).length;
    const predicted = pairs.filter((p) => p.actual === label).length;
    const support = pairs.filter((p) => p.expected === label).length;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support, precision, recall, f1 };
  });
  const present = perClass.filter((c) => c.support > 0);
  const macroF1 = present.reduce((sum, c) => sum + c.f1, 0) / Math.max(1, present.length);
  return { perClass, macroF1 };
}

/**
 * A 95% interval for macro-F1, by the bootstrap: the groups of items (the headlines of one event,
 * which the splits keep together) are drawn again with replacement, `resamples` times with a fixed
 * seed, and the 2.5th and 97.5th percentiles of the figures are the interval. How far a figure can
 * move with another draw of the same kind of data: what a goal's margin should be read against.
 */
export function macroF1Interval(
  pairs: readonly { expected: string; actual: string; group: string }[],
  labels: readonly string[],
  { resamples = 1_000, seed = 1 }: { resamples?: number; seed?: number } = {},
): [low: number, high: number] {
  const byGroup = new Map<string, { expected: string; actual: string }[]>();
  for (const p of pairs) {
    const group = byGroup.get(p.group);
    if (group) group.push(p);
    else byGroup.set(p.group, [p]);
  }
  const groups = [...byGroup.values()];
  const next = seededRandom(seed);
  const figures: number[] = [];
  for (let r = 0; r < resamples; r += 1) {
    const drawn: { expected: string; actual: string }[] = [];
    for (let i = 0; i < groups.length; i += 1) drawn.push(...groups[Math.floor(next() * groups.length)]!);
    figures.push(classScores(drawn, labels).macroF1);
  }
  return [percentile(figures, 2.5), percentile(figures, 97.5)];
}

/** Share of items for which `test` holds, with the counts. */
export function share<T>(items: readonly T[], test: (item: T) => boolean): { right: number; total: number; rate: number } {
  const right = items.filter(test).length;
  return { right, total: items.length, rate: items.length === 0 ? 0 : right / items.length };
}

/** Percentiles (0..100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}
