/**
 * Trains the target model and writes src/classify/target-model.json:
 * `npx tsx src/classify/train-cli.ts [--check] [ucdp-headlines.jsonl]`.
 * Training data: the labelled corpus (test/fixtures/corpus, attack_on_civilians and armed_clash
 * warnings, each counting 3 times) and the train split of the UCDP headlines (src/evaluation/ucdp.ts:
 * split, mapping and cleaning); of these, only those the model is asked about at run time (the
 * lexicons say attack or clash, but for a clash chosen for a named target). Deterministic (fixed seed, split by a hash
 * of the event id): the same data give the same file. `--check` retrains and fails unless the shipped file is the same.
 * Prints the development split's figures (never the test split's).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createModelQuestion, createWarningAnalyser } from './analyser.js';
import { bundledTargetModelPath } from './target-model.js';
import { serialiseTargetModel, trainTargetModel, type TrainingExample } from './train.js';
import { readCorpus } from '../evaluation/corpus.js';
import { classScores } from '../evaluation/metrics.js';
import { defaultUcdpPath, readOpenData } from '../evaluation/ucdp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The model file's text as the training script makes it from the data; null without the open data. */
export function trainedModelText(ucdpPath: string = defaultUcdpPath): string | null {
  const open = readOpenData(ucdpPath);
  if (!open) return null;
  const examples: TrainingExample[] = [
    ...readCorpus(`${root}/test/fixtures/corpus`).map((w) => ({ text: w.text, threatType: w.threatType, weight: 3 })),
    ...open.examples.filter((e) => e.split === 'train').map((e) => ({ text: e.text, threatType: e.threatType, weight: 1 })),
  ];
  const model = trainTargetModel(
    examples,
    createModelQuestion(),
    'test/fixtures/corpus (x3) + UCDP GED headlines, train split (Uppsala Conflict Data Program, CC BY 4.0; README "Data and licences")',
  );
  return serialiseTargetModel(model);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const path = args.find((a) => !a.startsWith('--')) ?? defaultUcdpPath;
  const text = trainedModelText(path);
  if (text === null) {
    console.error(`${path}: not found (the UCDP headlines are needed to train)`);
    process.exit(2);
  }
  if (args.includes('--check')) {
    const same = readFileSync(bundledTargetModelPath, 'utf8') === text;
    console.log(same ? 'the shipped model is what the training script makes' : 'the shipped model differs from a retrain');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(bundledTargetModelPath, text);
  const model = JSON.parse(text) as { about: object };
  console.log(`wrote ${bundledTargetModelPath}: ${JSON.stringify(model.about)}`);
  const dev = readOpenData(path)!.examples.filter((e) => e.split === 'dev');
  for (const [name, analyser] of [
    ['rules only', createWarningAnalyser({ places: [], targetModel: null })],
    ['rules + model', createWarningAnalyser({ places: [] })],
  ] as const) {
    const { macroF1 } = classScores(
      dev.map((e) => ({ expected: e.threatType, actual: analyser.classify(e.text).threatType })),
      ['attack_on_civilians', 'armed_clash'],
    );
    console.log(`dev split (${dev.length}), ${name}: macro-F1 ${macroF1.toFixed(3)}`);
  }
}
