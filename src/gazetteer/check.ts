/**
 * Checks gazetteer files before a deployment uses them:
 * `npm run gazetteer:check -- [--format oad|plain] file.csv ...`
 * Prints how many places each file gives and every refused row with its line and reason;
 * exits with status 1 when a row was refused.
 */
import { parseArgs } from 'node:util';
import { gazetteerFormats, readGazetteerFile, type GazetteerFormat } from './parse.js';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { format: { type: 'string' } }, allowPositionals: true });
  const format = values.format;
  if (format !== undefined && !gazetteerFormats.includes(format as GazetteerFormat)) {
    console.error(`--format must be one of ${gazetteerFormats.join(', ')}, not "${format}"`);
    return 2;
  }
  if (positionals.length === 0) {
    console.error('usage: gazetteer:check [--format oad|plain] file.csv ...');
    return 2;
  }
  let refusedRows = 0;
  for (const path of positionals) {
    let places = 0;
    const options = format === undefined ? {} : { format: format as GazetteerFormat };
    for await (const row of readGazetteerFile(path, options)) {
      if ('place' in row) places += 1;
      else {
        refusedRows += 1;
        console.log(`${path}:${row.refused.line}: ${row.refused.reason}`);
      }
    }
    console.log(`${path}: ${places} places`);
  }
  return refusedRows > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
