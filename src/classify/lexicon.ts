import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { threatTypes, urgencies } from '../domain/taxonomy.js';
import { normalizeText } from '../gazetteer/normalize.js';

const weights = z.record(z.string(), z.number());
const phrases = z.array(z.union([z.string(), z.number()]).transform(String)).default([]);

/** One language's lexicon file (`lexicons/<lang>.yaml`); see lexicons/README.md. */
export const lexiconFileSchema = z.object({
  language: z.string().min(2),
  markers: phrases,
  threats: z.partialRecord(z.enum(threatTypes), weights).default({}),
  urgency: z.partialRecord(z.enum(['imminent', 'ongoing', 'past']), weights).default({}),
  /** Threats against a population ("ils menacent la population"): armed_group_presence, and urgency at least imminent. */
  threatened: weights.default({}),
  /** Who or what an act is done to: decides an attack's and a seizure's type (see `retarget` in rules.yaml). */
  targets: z.partialRecord(z.enum(['civilians', 'forces', 'positions', 'property']), phrases).default({}),
  negation: phrases,
  reported: phrases,
  calm: phrases,
});
export type LexiconFile = z.infer<typeof lexiconFileSchema>;

/** Scoring rules (`lexicons/rules.yaml`). */
export const classificationRulesSchema = z.object({
  minScore: z.number().positive(),
  implies: z.partialRecord(z.enum(threatTypes), z.array(z.enum(threatTypes))).default({}),
  impliedFactor: z.number().min(0).max(1),
  priority: z.array(z.enum(threatTypes)),
  reportedFactor: z.number().min(0).max(1),
  calmFactor: z.number().min(0).max(1),
  negatedOtherConfidence: z.number().min(0).max(1),
  defaultUrgency: z.partialRecord(z.enum(threatTypes), z.enum(urgencies)).default({}),
  reportedUrgency: z.enum(urgencies).optional(),
  /** The target model overrules the lexicons' attack_on_civilians or armed_clash only when its probability is this far from 0.5. */
  modelMargin: z.number().min(0).max(0.5).default(0),
  /** Types never dropped from a classification once one of their cues is counted (not damped, not cut by minScore). */
  neverLost: z.array(z.enum(threatTypes)).default([]),
  /** Harm to people comes first: once a type here reaches minScore, the types it lists rank after it, whatever they score. */
  outranks: z.partialRecord(z.enum(threatTypes), z.array(z.enum(threatTypes))).default({}),
  /** Who or what an act is done to moves its weight to another type ("attacked the army post": armed_clash). */
  retarget: z
    .object({
      /** Words after an act within which its object is looked for. */
      reach: z.number().int().positive(),
      /** Words before an act within which a victim is looked for when nothing follows ("three soldiers killed"). */
      before: z.number().int().min(0),
      /** Act words told in the passive ("killed", "tues"): their victim may come before them. */
      passive: phrases,
      /** Words that introduce the doer after a passive act ("by", "par"). */
      agent: phrases,
      /** Words after which what follows tells why or when, not whom ("executed for not joining Boko Haram"): the object is not looked for past them. */
      circumstance: phrases.default([]),
      /** Cues of these types that name the victims of an attack count for the attack ("Fulani attack farmers"). */
      victimsOf: z.array(z.enum(threatTypes)).default([]),
      moves: z.partialRecord(z.enum(threatTypes), z.partialRecord(z.enum(['civilians', 'forces', 'positions', 'property']), z.enum(threatTypes))),
    })
    .optional(),
});
export type ClassificationRules = z.infer<typeof classificationRulesSchema>;
export type TargetClass = keyof LexiconFile['targets'];

/** A lexicon or rules file that cannot be used, with the file and the problem. */
export class LexiconError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'LexiconError';
  }
}

/** The lexicons of a folder: every language file plus the rules. */
export interface Lexicons {
  languages: LexiconFile[];
  rules: ClassificationRules;
}

/** The lexicons bundled with Tamtam. */
export const bundledLexiconDir = fileURLToPath(new URL('../../lexicons/', import.meta.url));

/** Reads `rules.yaml` and every other `*.yaml` of a folder as a language lexicon. */
export function loadLexicons(dir: string = bundledLexiconDir): Lexicons {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  if (!files.includes('rules.yaml')) throw new LexiconError(join(dir, 'rules.yaml'), 'missing');
  const rules = readYaml(join(dir, 'rules.yaml'), classificationRulesSchema);
  const languages = files.filter((f) => f !== 'rules.yaml').map((f) => readYaml(join(dir, f), lexiconFileSchema));
  return { languages, rules };
}

function readYaml<T>(path: string, schema: z.ZodType<T>): T {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LexiconError(path, (error as Error).message);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new LexiconError(path, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** A pattern word: exact, any ending (`pill*`) or any beginning (`*هجوم`). */
export interface PatternWord {
  text: string;
  kind: 'exact' | 'prefix' | 'suffix';
}

/** Splits a pattern into normalised words, keeping `*` markers. */
export function patternWords(pattern: string): PatternWord[] {
  return pattern
    .split(/\s+/)
    .filter((w) => w !== '')
    .flatMap((raw): PatternWord[] => {
      const prefix = raw.endsWith('*');
      const suffix = raw.startsWith('*');
      const words = normalizeText(raw.replace(/\*/g, ''))
        .split(' ')
        .filter((w) => w !== '');
      return words.map((text, i) => ({
        text,
        kind: prefix && i === words.length - 1 ? 'prefix' : suffix && i === 0 ? 'suffix' : 'exact',
      }));
    });
}
