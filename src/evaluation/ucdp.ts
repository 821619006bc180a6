/**
 * The open training data: UCDP GED headlines (Nigeria, Sudan, South Sudan; CC BY 4.0, Uppsala
 * Conflict Data Program; see /work/shared/data/training/README.md and README "Data and licences").
 * The headlines are read from outside the repository and never shipped; only what is learnt from
 * them (src/classify/target-model.json, feature weights) is.
 *
 * How a headline becomes a labelled example (README "How warnings are understood"):
 * - split by a hash of the UCDP event id (the part before `-`: the headlines of one event stay in
 *   one split): 60% train, 20% dev, 20% test;
 * - dropped: headlines of held-out countries (Mali, DR Congo, CAR: a guard on the country and the
 *   text), headlines that tell of no violent act (report titles, "Situation in Abyei"), and
 *   bombings, shelling and air strikes (Tamtam's `explosive_device`, which says nothing of who was
 *   the target);
 * - mapped: UCDP type 1 (state-based) and 2 (non-state) → `armed_clash`, 3 (one-sided) →
 *   `attack_on_civilians`; then cleaned: a type 2 headline that tells of killing or an attack
 *   ("herdsmen kill 10 in Benue", "gunmen attack Kaduna community") with no word of fighting
 *   between two sides (clash, fight, battle, war, rival, cult, troops, rebels…) is
 *   `attack_on_civilians` (what a duty officer would call it; the data's README says so); a
 *   headline that tells of another aspect of the event than its type (a type 1 or 2 headline whose
 *   only victims are civilians, a type 3 headline of a clash between forces) is dropped.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ThreatType } from '../domain/taxonomy.js';

export const defaultUcdpPath = '/work/shared/data/training/ucdp-ged-africa-headlines.jsonl';

const row = z.object({
  id: z.string(),
  country: z.string(),
  type_of_violence: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  headline: z.string(),
});
export type UcdpRow = z.infer<typeof row>;

export type Split = 'train' | 'dev' | 'test';

/** One headline ready to learn from or score on. */
export interface OpenExample {
  id: string;
  text: string;
  threatType: ThreatType;
  /** The label as UCDP's type maps, before cleaning. */
  rawThreatType: ThreatType;
  split: Split;
}

/** What cleaning did, for the report. */
export interface CleaningReport {
  rows: number;
  kept: number;
  dropped: Record<string, number>;
  relabelled: number;
}

/** The UCDP event a headline's id belongs to (the part before `-`): its headlines stay together. */
export function eventOf(id: string): string {
  return id.split('-')[0] ?? id;
}

/** Train 60%, dev 20%, test 20%, by a SHA-256 of the event id: the same split on every machine. */
export function splitOf(id: string): Split {
  const bucket = createHash('sha256').update(eventOf(id)).digest().readUInt32BE(0) % 100;
  return bucket < 60 ? 'train' : bucket < 80 ? 'dev' : 'test';
}

const heldOut = /\b(mali|malian|congo|congolese|drc|kinshasa|central african|bangui|goma|bunia|beni|timbuktu|gao|mopti)\b/i;
const violentAct =
  /kill|dead|death|died|dies|\bdie\b|attack|clash|fight|shot|shoot|gunm|massacre|battle|raid|ambush|murder|slaughter|wound|injur|abduct|kidnap|execut|behead|casualt|combat|offensive|gunfire|troops? (?:retake|recapture|capture)|repel/i;
const explosive =
  /bomb|suicide|air ?strike|air raid|shelling|shelled|landmine|\bmines?\b|\bieds?\b|explos|grenade|rocket|mortar|drone|artillery|blast|jet|aircraft|warplane/i;
const fightingWords =
  /clash|fight|battle|gunfight|gun duel|shootout|exchange of fire|crossfire|combat|offensive|repel|repuls|troops|soldier|army|military|\bwar\b|rival|cult|gang|militants?\b|insurgents?\b|rebels?\b|fighters\b/i;
/** A one-sided act told in a non-state (type 2) headline: killed, attacked, massacred. */
const oneSidedAct = /kill|attack|massacre|slaughter|murder|shot dead|raid|invade|sack|burn/i;
const civilianVictims =
  /civilian|villagers|farmers|worshippers|mourners|traders|passengers|women|children|students|protesters|idps?\b|displaced|residents/i;
const forcesVictims =
  /soldier|troops|army|military|police|base|barracks|checkpoint|rebels|insurgents|militants|fighters|jihadists|terrorists|commander/i;

/** Maps and cleans one row; a string is the reason it is dropped. */
export function cleanRow(r: UcdpRow): OpenExample | string {
  const text = r.headline.trim();
  if (/^(mali|dr congo|democratic republic of congo|central african republic)$/i.test(r.country) || heldOut.test(text)) return 'held-out country';
  if (!violentAct.test(text)) return 'no violent act told';
  if (explosive.test(text)) return 'explosive device (target not told)';
  const rawThreatType: ThreatType = r.type_of_violence === 3 ? 'attack_on_civilians' : 'armed_clash';
  const fighting = fightingWords.test(text);
  let threatType = rawThreatType;
  if (r.type_of_violence === 2 && oneSidedAct.test(text) && !fighting) threatType = 'attack_on_civilians';
  else if (r.type_of_violence !== 3 && civilianVictims.test(text) && !forcesVictims.test(text) && !fighting)
    return 'another aspect (civilians only, type 1 or 2)';
  else if (r.type_of_violence === 3 && /clash|battle|fight/i.test(text) && forcesVictims.test(text) && !civilianVictims.test(text))
    return 'another aspect (a clash, type 3)';
  return { id: r.id, text, threatType, rawThreatType, split: splitOf(r.id) };
}

/** Reads, maps and cleans the headlines; null when the file is not there. */
export function readOpenData(path: string = defaultUcdpPath): { examples: OpenExample[]; report: CleaningReport } | null {
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const examples: OpenExample[] = [];
  const report: CleaningReport = { rows: lines.length, kept: 0, dropped: {}, relabelled: 0 };
  for (const line of lines) {
    const cleaned = cleanRow(row.parse(JSON.parse(line)));
    if (typeof cleaned === 'string') report.dropped[cleaned] = (report.dropped[cleaned] ?? 0) + 1;
    else {
      examples.push(cleaned);
      if (cleaned.threatType !== cleaned.rawThreatType) report.relabelled += 1;
    }
  }
  report.kept = examples.length;
  return { examples, report };
}
