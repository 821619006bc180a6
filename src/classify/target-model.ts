import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ThreatType } from '../domain/taxonomy.js';
import type { CueHit } from './cues.js';

/**
 * The learnt half of "who was attacked": a logistic regression that tells an attack on civilians
 * from fighting between armed forces, over the message's words and word pairs and what the
 * lexicons made of it (types, target groups, cue types, and the target each act was found to be
 * done to). Asked, and trained, on the messages the lexicons call an attack or a clash, except a
 * clash they chose for a target they found named (soldiers, a base: that decides). Trained by `npx tsx src/classify/train-cli.ts` on the
 * corpus and the train split of the UCDP headlines; shipped as feature weights
 * (`target-model.json`), never the text it was trained on.
 */
export const targetModelSchema = z.object({
  /** What it was trained on and how: shown by `npm run eval`, checked by the tests. */
  about: z.object({ data: z.string(), examples: z.number(), features: z.number(), seed: z.number(), epochs: z.number(), l2: z.number() }),
  bias: z.number(),
  /** Weight of each feature; positive means attack_on_civilians. */
  weights: z.record(z.string(), z.number()),
});
export type TargetModel = z.infer<typeof targetModelSchema>;

/** The two types the model decides between: it is asked only when the lexicons chose one of them. */
export const modelTypes: readonly ThreatType[] = ['attack_on_civilians', 'armed_clash'];

export const bundledTargetModelPath = fileURLToPath(new URL('./target-model.json', import.meta.url));

export function loadTargetModel(path: string = bundledTargetModelPath): TargetModel {
  return targetModelSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * Splits words glued together by a lost space where a capital follows a small letter ("Boko
 * HaramKills 22", "GunmenAttack"): the classifier and the model read them as two words.
 */
export function unglue(text: string): string {
  return text.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2');
}

/** An act whose object the rules found ("attacked the army post"): the act's cue type and the target's class. */
export interface TargetedAct {
  act: ThreatType;
  target: string;
}

/** What the rules made of a message, as the model reads it. */
export interface RulesReading {
  /** The type the lexicons chose, and the others that reached the minimum score. */
  type: ThreatType;
  others: readonly ThreatType[];
  cues: readonly Pick<CueHit, 'cue'>[];
  /** The acts whose object the rules found. */
  targetedActs: readonly TargetedAct[];
  /** The attack on civilians' score minus armed clash's, after targets moved them: how sure the rules are. */
  attackLead: number;
}

/** Bounds of the `lead:` buckets (the rules' attack-minus-clash score): a near tie is weak evidence. */
const leadBounds = [-6, -3, -1, 1, 3, 6];

/**
 * Features of a message: its words (normalised, as the classifier split them), its word pairs, the lexicons' types (primary and others), and,
 * language-neutral, the target groups its words name (`t:civilians`, `t:forces`, `t:positions`,
 * `t:property`), the types of the threat cues it holds (`c:armed_clash`…), when the rules found
 * who an act was done to, `targeted` and each such act with its target
 * (`tg:attack_on_civilians>forces`), and how far the rules' attack score leads the clash score
 * (`lead:0` … `lead:6`, bucketed): what the lexicons found in it, whatever the language.
 */
export function modelFeatures(normalWords: readonly string[], reading: RulesReading): string[] {
  const { type, others, cues, targetedActs, attackLead } = reading;
  const words = normalWords.filter((w) => !/^\d+$/.test(w));
  const features = new Set<string>([`type:${type}`, ...others.map((t) => `also:${t}`)]);
  features.add(`lead:${leadBounds.filter((bound) => attackLead > bound).length}`);
  if (targetedActs.length > 0) features.add('targeted');
  for (const { act, target } of targetedActs) features.add(`tg:${act}>${target}`);
  for (const { cue } of cues) {
    if (cue.kind === 'target') features.add(`t:${cue.label}`);
    else if (cue.kind === 'threat') features.add(`c:${cue.label}`);
  }
  for (let i = 0; i < words.length; i += 1) {
    features.add(`w:${words[i]}`);
    if (i + 1 < words.length) features.add(`b:${words[i]} ${words[i + 1]}`);
  }
  return [...features];
}

/** Probability that the message tells of an attack on civilians rather than fighting. */
export function attackProbability(model: TargetModel, features: readonly string[]): number {
  let z = model.bias;
  for (const f of features) z += model.weights[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
}
