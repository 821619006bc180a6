/**
 * Trains the target model (src/classify/target-model.ts) reproducibly: the same data, seed and
 * settings give the same weights, byte for byte. Run by `npx tsx src/classify/train-cli.ts`.
 */
import { modelTypes, type TargetModel } from './target-model.js';
import type { ThreatType } from '../domain/taxonomy.js';

/** One text with its label, as the training reads it. */
export interface TrainingExample {
  text: string;
  threatType: ThreatType;
  /** How much the example counts (the corpus's few SMS-style warnings count more than headlines). */
  weight: number;
}

export interface TrainingSettings {
  seed: number;
  epochs: number;
  learningRate: number;
  l2: number;
  /** A feature is kept when this many examples have it. */
  minCount: number;
}

export const defaultTrainingSettings: TrainingSettings = { seed: 13, epochs: 40, learningRate: 0.1, l2: 0.0005, minCount: 3 };

/** A deterministic generator (mulberry32) in [0, 1): the same numbers on every run and machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Logistic regression by stochastic gradient descent (seeded shuffle, L2, classes balanced), on the
 * examples the model is asked about at run time: those the lexicons call an attack on civilians or
 * a clash, but for a clash chosen for a named target. `question` gives an example's features when the
 * model would be asked about it, else null (`createModelQuestion`).
 */
export function trainTargetModel(
  examples: readonly TrainingExample[],
  question: (text: string) => string[] | null,
  data: string,
  settings: TrainingSettings = defaultTrainingSettings,
): TargetModel {
  const rows = examples
    .filter((e) => modelTypes.includes(e.threatType))
    .map((e) => ({ y: e.threatType === 'attack_on_civilians' ? 1 : 0, weight: e.weight, features: question(e.text) }))
    .filter((r): r is { y: number; weight: number; features: string[] } => r.features !== null);
  const counts = new Map<string, number>();
  for (const r of rows) for (const f of r.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocabulary = new Set([...counts].filter(([, n]) => n >= settings.minCount).map(([f]) => f));
  const positives = rows.reduce((sum, r) => sum + r.y * r.weight, 0);
  const total = rows.reduce((sum, r) => sum + r.weight, 0);
  const classWeight = [total / (2 * (total - positives)), total / (2 * positives)];
  const weights = new Map<string, number>([...vocabulary].sort().map((f) => [f, 0]));
  let bias = 0;
  const next = seededRandom(settings.seed);
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < settings.epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = settings.learningRate / (1 + epoch * 0.1);
    for (const index of order) {
      const row = rows[index]!;
      const features = row.features.filter((f) => vocabulary.has(f));
      let z = bias;
      for (const f of features) z += weights.get(f)!;
      const gradient = (1 / (1 + Math.exp(-z)) - row.y) * row.weight * classWeight[row.y]!;
      bias -= rate * gradient;
      for (const f of features) {
        const w = weights.get(f)!;
        weights.set(f, w - rate * (gradient + settings.l2 * w));
      }
    }
  }
  const kept = [...weights].map(([f, w]) => [f, Math.round(w * 1e4) / 1e4] as const).filter(([, w]) => Math.abs(w) >= 0.01);
  return {
    about: { data, examples: rows.length, features: kept.length, seed: settings.seed, epochs: settings.epochs, l2: settings.l2 },
    bias: Math.round(bias * 1e4) / 1e4,
    weights: Object.fromEntries(kept),
  };
}

/** The model as shipped: JSON with one feature a line, in sorted order (reviewable diffs, stable bytes). */
export function serialiseTargetModel(model: TargetModel): string {
  const lines = Object.entries(model.weights).map(([f, w]) => `    ${JSON.stringify(f)}: ${w}`);
  return `{\n  "about": ${JSON.stringify(model.about)},\n  "bias": ${model.bias},\n  "weights": {\n${lines.join(',\n')}\n  }\n}\n`;
}
