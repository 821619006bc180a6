import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { threatTypes, urgencies } from '../domain/taxonomy.js';

export const labelledWarning = z.object({
  text: z.string(),
  threatType: z.enum(threatTypes),
  urgency: z.enum(urgencies),
  place: z.string().nullable(),
  office: z.string(),
  language: z.string(),
});
export type LabelledWarning = z.infer<typeof labelledWarning>;

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
