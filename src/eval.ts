/**
 * Evaluates the analyser: `npm run eval [-- --errors] [--test] [--ucdp file.jsonl] [labelledDir] [deployment]`.
 *
 * Without a folder it scores the sets kept apart (README "How warnings are understood"):
 * 1. what the classifier was tuned and trained on: the labelled corpus (test/fixtures/corpus) and
 *    the train split of the UCDP headlines;
 * 2. the development split of the UCDP headlines (used to choose settings, never trained on);
 * 3. the test split (never looked at while tuning: only its figures are printed, never its texts,
 *    and only with `--test`: without it the split is not scored at all, so tuning cannot peek at it;
 *    print it once, after every choice is frozen);
 * and the held-out SMS sets (test/fixtures/holdout: written after the lexicons, never tuned on).
 * With a folder it scores that folder alone. Each set reports macro-F1 over the types it carries,
 * per-class precision, recall and F1, and urgency, language, place and office accuracy where the
 * set has those labels. Macro-F1 is printed rounded down to four places, so that a figure just
 * under a goal (0.84999) is never shown as reaching it. `--errors` lists the misses of the SMS sets (never of the UCDP splits).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { createWarningAnalyser } from './classify/analyser.js';
import { fieldOfficeFor, type RoutableOffice } from './classify/routing.js';
import { loadTargetModel } from './classify/target-model.js';
import type { WarningAnalyser } from './classify/types.js';
import { threatTypes, type ThreatType } from './domain/taxonomy.js';
import { readCorpus, type LabelledWarning } from './evaluation/corpus.js';
import { classScores, macroF1Interval, share } from './evaluation/metrics.js';
import { defaultUcdpPath, eventOf, readOpenData, type OpenExample } from './evaluation/ucdp.js';
import { loadGazetteers } from './gazetteer/load.js';
import { normalizeName } from './gazetteer/normalize.js';
import type { Place } from './domain/place.js';

export { readCorpus };

const root = fileURLToPath(new URL('..', import.meta.url));
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

/** One line of the summary: a set's headline figures, with the model and with the rules alone. */
interface Summary {
  set: string;
  n: number;
  types: number;
  macroF1: number;
  /** Its 95% bootstrap interval (macroF1Interval). */
  interval: [number, number];
  rulesOnlyMacroF1: number;
  urgency: number | null;
  office: number | null;
}

interface Context {
  analyser: WarningAnalyser;
  rulesOnly: WarningAnalyser;
  offices: RoutableOffice[];
  showErrors: boolean;
}

function printClasses(pairs: { expected: string; actual: string }[], labels: readonly string[]): number {
  const { perClass, macroF1 } = classScores(pairs, labels);
  console.log('threat type                 n   precision  recall   F1');
  for (const c of perClass) {
    console.log(
      `${c.label.padEnd(24)} ${String(c.support).padStart(4)}   ${c.precision.toFixed(2).padStart(9)}  ${c.recall.toFixed(2).padStart(6)}  ${c.f1.toFixed(2).padStart(5)}`,
    );
  }
  return macroF1;
}

/** A macro-F1 rounded down to four places: 0.84999 is 0.8499, never 0.8500. */
const f1 = (value: number) => (Math.floor(value * 1e4 + 1e-9) / 1e4).toFixed(4);

/** An interval as two figures rounded down (low) and up (high) to three places: never narrower than it is. */
const range = ([low, high]: [number, number]) =>
  `${(Math.floor(low * 1e3 + 1e-9) / 1e3).toFixed(3)}–${(Math.ceil(high * 1e3 - 1e-9) / 1e3).toFixed(3)}`;

const line = (label: string, s: { right: number; total: number; rate: number }) =>
  console.log(`${label.padEnd(44)} ${(s.rate * 100).toFixed(1).padStart(5)}%  (${s.right}/${s.total})`);

/** The labelled warnings of a folder (SMS style, every label): the full report. */
function scoreWarnings(name: string, corpus: LabelledWarning[], context: Context): Summary {
  const { analyser, offices } = context;
  const results = corpus.map((item) => {
    const classification = analyser.classify(item.text);
    const match = analyser.findPlace(item.text);
    const office = fieldOfficeFor(match?.place ?? null, offices);
    return { item, classification, match, office: office?.officeId ?? null };
  });
  console.log(`\n== ${name}: ${corpus.length} messages\n`);
  const carried = threatTypes.filter((t) => corpus.some((w) => w.threatType === t));
  const macroF1 = printClasses(
    results.map((r) => ({ expected: r.item.threatType, actual: r.classification.threatType })),
    threatTypes,
  );
  const rulesOnlyMacroF1 = classScores(
    corpus.map((w) => ({ expected: w.threatType, actual: context.rulesOnly.classify(w.text).threatType })),
    threatTypes,
  ).macroF1;
  const interval = macroF1Interval(
    results.map((r, i) => ({ expected: r.item.threatType, actual: r.classification.threatType, group: String(i) })),
    threatTypes,
  );
  console.log(`\nmacro-F1 (all ${carried.length} classes)               ${f1(macroF1)}   (rules alone ${f1(rulesOnlyMacroF1)})`);
  console.log(`its 95% interval (bootstrap over messages)  ${range(interval)}`);
  line(
    'threat type accuracy',
    share(results, (r) => r.classification.threatType === r.item.threatType),
  );
  const urgency = share(results, (r) => r.classification.urgency === r.item.urgency);
  line('urgency accuracy', urgency);
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
  const office = share(results, (r) => r.office === r.item.office);
  line('right office, overall', office);
  line(
    'right office, place in a gazetteer',
    share(placed, (r) => r.office === r.item.office),
  );
  if (context.showErrors) {
    console.log('\nerrors (expected → got):');
    for (const r of results) {
      const misses = [
        r.classification.threatType !== r.item.threatType && `type ${r.item.threatType}→${r.classification.threatType}`,
        r.classification.urgency !== r.item.urgency && `urgency ${r.item.urgency}→${r.classification.urgency}`,
        r.office !== r.item.office && `office ${r.item.office}→${r.office} (${r.match?.place.name ?? 'no place'})`,
      ].filter(Boolean);
      if (misses.length > 0) console.log(`- ${r.item.text}\n    ${misses.join('; ')}  [${r.classification.evidence.join(', ')}]`);
    }
  }
  return { set: name, n: corpus.length, types: carried.length, macroF1, interval, rulesOnlyMacroF1, urgency: urgency.rate, office: office.rate };
}

/** A split of the UCDP headlines: the two types they carry, no urgency or office labels. */
function scoreHeadlines(name: string, examples: OpenExample[], context: Context): Summary {
  const carried: ThreatType[] = ['attack_on_civilians', 'armed_clash'];
  const predicted = examples.map((e) => context.analyser.classify(e.text).threatType);
  console.log(`\n== ${name}: ${examples.length} headlines (types carried: ${carried.join(', ')})\n`);
  const macroF1 = printClasses(
    examples.map((e, i) => ({ expected: e.threatType, actual: predicted[i]! })),
    carried,
  );
  const rulesOnlyMacroF1 = classScores(
    examples.map((e) => ({ expected: e.threatType, actual: context.rulesOnly.classify(e.text).threatType })),
    carried,
  ).macroF1;
  const raw = classScores(
    examples.map((e, i) => ({ expected: e.rawThreatType, actual: predicted[i]! })),
    carried,
  ).macroF1;
  const elsewhere = predicted.filter((p) => !carried.includes(p)).length;
  // The headlines of one event are drawn together, as the splits keep them.
  const interval = macroF1Interval(
    examples.map((e, i) => ({ expected: e.threatType, actual: predicted[i]!, group: eventOf(e.id) })),
    carried,
  );
  console.log(`\nmacro-F1 (the 2 types carried)           ${f1(macroF1)}   (rules alone ${f1(rulesOnlyMacroF1)})`);
  console.log(`its 95% interval (bootstrap over events)  ${range(interval)}`);
  console.log(`macro-F1 against UCDP's types as mapped, before cleaning  ${raw.toFixed(3)}`);
  line(
    'threat type accuracy',
    share(
      examples.map((e, i) => e.threatType === predicted[i]),
      (right) => right,
    ),
  );
  console.log(`given another type (abduction, looting, other…)  ${elsewhere}`);
  return { set: name, n: examples.length, types: carried.length, macroF1, interval, rulesOnlyMacroF1, urgency: null, office: null };
}

async function main(args: string[]) {
  const showErrors = args.includes('--errors');
  const showTest = args.includes('--test');
  const ucdpAt = args.indexOf('--ucdp');
  const ucdpPath = ucdpAt >= 0 ? (args[ucdpAt + 1] ?? defaultUcdpPath) : defaultUcdpPath;
  const positional = args.filter((a, i) => !a.startsWith('--') && !(ucdpAt >= 0 && i === ucdpAt + 1));
  const [corpusDir, deploymentPath = join(root, 'test/fixtures/eval-deployment.yaml')] = positional;
  const gazetteers = ['mali', 'dr-congo', 'central-african-republic'].map((c) => join(root, 'deploy/gazetteer', `${c}.csv`));
  const { places, refused } = await loadGazetteers(gazetteers);
  const offices: RoutableOffice[] = officesFile.parse(parseYaml(readFileSync(deploymentPath, 'utf8'))).fieldOffices;
  const context: Context = {
    analyser: createWarningAnalyser({ places }),
    rulesOnly: createWarningAnalyser({ places: [] as Place[], targetModel: null }),
    offices,
    showErrors,
  };
  console.log(`gazetteer: ${places.length} places (${refused.length} rows refused); offices: ${offices.length}`);
  console.log(`target model: ${JSON.stringify(loadTargetModel().about)}`);
  if (corpusDir) {
    scoreWarnings(corpusDir, readCorpus(corpusDir), context);
    return;
  }
  const summaries: Summary[] = [
    scoreWarnings('1a. corpus (tuned on; in the model’s training)', readCorpus(join(root, 'test/fixtures/corpus')), context),
  ];
  const open = readOpenData(ucdpPath);
  if (open) {
    const { report } = open;
    console.log(
      `\nUCDP headlines (${ucdpPath}): ${report.rows} rows, ${report.kept} kept, ${report.relabelled} relabelled; dropped: ${Object.entries(
        report.dropped,
      )
        .map(([why, n]) => `${why} ${n}`)
        .join(', ')}`,
    );
    const split = (s: OpenExample['split']) => open.examples.filter((e) => e.split === s);
    summaries.push(scoreHeadlines('1b. UCDP train split (trained on)', split('train'), context));
    summaries.push(scoreHeadlines('2. UCDP dev split (settings chosen on it, never trained on)', split('dev'), context));
    if (showTest) summaries.push(scoreHeadlines('3. UCDP test split (never looked at while tuning)', split('test'), context));
    else console.log('\n3. UCDP test split: not scored (`--test` scores it, once, after the settings are frozen)');
  } else console.log(`\n${ucdpPath}: not found; the UCDP splits are left out (--ucdp file.jsonl to name it)`);
  summaries.push(scoreWarnings('held-out SMS (test/fixtures/holdout, never tuned on)', readCorpus(join(root, 'test/fixtures/holdout')), context));

  console.log('\n== summary\n');
  console.log('set                                                           n   types  macro-F1  95% interval  rules alone  urgency  office');
  for (const s of summaries) {
    const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
    console.log(
      `${s.set.padEnd(60)} ${String(s.n).padStart(5)}  ${String(s.types).padStart(5)}  ${f1(s.macroF1).padStart(8)}  ${range(s.interval).padStart(12)}  ${f1(s.rulesOnlyMacroF1).padStart(11)}  ${pct(s.urgency).padStart(7)}  ${pct(s.office).padStart(6)}`,
    );
  }
}

function samePlace(found: string, expected: string): boolean {
  return normalizeName(found) === normalizeName(expected);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
