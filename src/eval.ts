/**
 * Evaluates the analyser on the labelled corpus: `npm run eval [-- --errors] [corpusDir] [deployment]`.
 * Loads the three bundled gazetteers, then runs classify, findPlace and fieldOfficeFor on every
 * message and prints per-class precision/recall/F1, macro-F1, urgency accuracy and routing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { createWarningAnalyser } from './classify/analyser.js';
import { fieldOfficeFor, type RoutableOffice } from './classify/routing.js';
import { threatTypes, urgencies } from './domain/taxonomy.js';
import { classScores, share } from './evaluation/metrics.js';
import { loadGazetteers } from './gazetteer/load.js';
import { normalizeName } from './gazetteer/normalize.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const labelledWarning = z.object({
  text: z.string(),
  threatType: z.enum(threatTypes),
  urgency: z.enum(urgencies),
  place: z.string().nullable(),
  office: z.string(),
  language: z.string(),
});
type LabelledWarning = z.infer<typeof labelledWarning>;
const officesFile = z.object({
  fieldOffices: z.array(
    z.object({
      id: z.string(),
      area: z.object({ admin1: z.array(z.string()).optional(), admin2: z.array(z.string()).optional(), admin3: z.array(z.string()).optional() }),
      location: z.tuple([z.number(), z.number()]).optional(),
      triage: z.boolean().optional(),
    }),
  ),
});

/** Reads every `*.jsonl` file of a folder as labelled warnings. */
export function readCorpus(dir: string): LabelledWarning[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((line, i) => {
          const parsed = labelledWarning.safeParse(JSON.parse(line));
          if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message}`);
          return parsed.data;
        }),
    );
}

async function main(args: string[]) {
  const showErrors = args.includes('--errors');
  const [corpusDir = join(root, 'test/fixtures/corpus'), deploymentPath = join(root, 'test/fixtures/eval-deployment.yaml')] = args.filter(
    (a) => !a.startsWith('--'),
  );
  const gazetteers = ['mali', 'dr-congo', 'central-african-republic'].map((c) => join(root, 'deploy/gazetteer', `${c}.csv`));
  const { places, refused } = await loadGazetteers(gazetteers);
  const offices: RoutableOffice[] = officesFile.parse(parseYaml(readFileSync(deploymentPath, 'utf8'))).fieldOffices;
  const analyser = createWarningAnalyser({ places });
  const corpus = readCorpus(corpusDir);
  const results = corpus.map((item) => {
    const classification = analyser.classify(item.text);
    const match = analyser.findPlace(item.text);
    const office = fieldOfficeFor(match?.place ?? null, offices);
    return { item, classification, match, office: office?.officeId ?? null };
  });

  console.log(`corpus: ${corpus.length} messages; gazetteer: ${places.length} places (${refused.length} rows refused); offices: ${offices.length}\n`);
  const { perClass, macroF1 } = classScores(
    results.map((r) => ({ expected: r.item.threatType, actual: r.classification.threatType })),
    threatTypes,
  );
  console.log('threat type                 n   precision  recall   F1');
  for (const c of perClass) {
    console.log(
      `${c.label.padEnd(24)} ${String(c.support).padStart(4)}   ${c.precision.toFixed(2).padStart(9)}  ${c.recall.toFixed(2).padStart(6)}  ${c.f1.toFixed(2).padStart(5)}`,
    );
  }
  const line = (label: string, s: { right: number; total: number; rate: number }) =>
    console.log(`${label.padEnd(44)} ${(s.rate * 100).toFixed(1).padStart(5)}%  (${s.right}/${s.total})`);
  console.log(`\nmacro-F1 (all ${perClass.filter((c) => c.support > 0).length} classes)               ${macroF1.toFixed(3)}`);
  line(
    'threat type accuracy',
    share(results, (r) => r.classification.threatType === r.item.threatType),
  );
  line(
    'urgency accuracy',
    share(results, (r) => r.classification.urgency === r.item.urgency),
  );
  const right = results.filter((r) => r.classification.threatType === r.item.threatType);
  const wrong = results.filter((r) => r.classification.threatType !== r.item.threatType);
  const meanConfidence = (list: typeof results) => list.reduce((sum, r) => sum + r.classification.confidence, 0) / Math.max(1, list.length);
  console.log(`mean confidence when the type is right / wrong  ${meanConfidence(right).toFixed(2)} / ${meanConfidence(wrong).toFixed(2)}`);
  line(
    'language accuracy',
    share(results, (r) => r.classification.language === r.item.language),
  );
  const placed = results.filter((r) => r.item.place !== null);
  line(
    'place found (place in a gazetteer)',
    share(placed, (r) => r.match !== null && samePlace(r.match.place.name, r.item.place as string)),
  );
  line(
    'no place claimed (no place in the message)',
    share(
      results.filter((r) => r.item.place === null),
      (r) => r.match === null,
    ),
  );
  line(
    'right office, overall',
    share(results, (r) => r.office === r.item.office),
  );
  line(
    'right office, place in a gazetteer',
    share(placed, (r) => r.office === r.item.office),
  );

  if (showErrors) {
    console.log('\nerrors (expected → got):');
    for (const r of results) {
      const wrong = [
        r.classification.threatType !== r.item.threatType && `type ${r.item.threatType}→${r.classification.threatType}`,
        r.classification.urgency !== r.item.urgency && `urgency ${r.item.urgency}→${r.classification.urgency}`,
        r.office !== r.item.office && `office ${r.item.office}→${r.office} (${r.match?.place.name ?? 'no place'})`,
      ].filter(Boolean);
      if (wrong.length > 0) console.log(`- ${r.item.text}\n    ${wrong.join('; ')}  [${r.classification.evidence.join(', ')}]`);
    }
  }
}

function samePlace(found: string, expected: string): boolean {
  return normalizeName(found) === normalizeName(expected);
}

await main(process.argv.slice(2));
