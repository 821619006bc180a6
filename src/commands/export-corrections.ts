import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { correctedAlerts } from '../db/corrections.js';
import { correctionExamples } from '../workflows/officers/correction-examples.js';
import type { CommandContext } from './context.js';

/**
 * `tamtam export corrections [--out file.jsonl]`: every officer's correction of an alert's
 * analysis as one JSON line `{ ref, text, language, predicted, corrected, fields, by, at }`,
 * to the file or to stdout. The reporter's words are in it: handle the file as sensitive.
 */
export async function exportCorrectionsCommand(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true, strict: false });
  if (positionals.length > 0 || values.out === true) return context.fail('usage: tamtam export corrections [--out file.jsonl]');
  return context.withDatabase(async (db) => {
    const out = typeof values.out === 'string' ? createWriteStream(values.out) : null;
    let written = 0;
    for (const { alert, events } of await correctedAlerts(db)) {
      for (const example of correctionExamples(alert, events)) {
        const line = `${JSON.stringify(example)}\n`;
        if (out) out.write(line);
        else context.stdout.write(line);
        written += 1;
      }
    }
    if (out) await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    context.stderr.write(`${written} correction${written === 1 ? '' : 's'} exported${out ? ` to ${String(values.out)}` : ''}\n`);
    return 0;
  });
}
