import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/index.js';
import { places } from '../../src/db/schema/index.js';
import { runTamtamCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/database.js';

const villages = [
  'name,alt_names,admin1,admin2,admin3,lat,lon',
  'Ogossagou,Ogossagou Peul|Ogossogou,Mopti,Bankass,,14.26,-3.55',
  ',,Mopti,Bankass,,14.2,-3.5', // line 3: no name
  'Sobane Da,Sobane-Kou,Mopti,Bandiagara,,14.35,-3.61',
  'Dioura,,Mopti,Tenenkou,,abc,-5.1', // line 5: bad latitude
  'Boulkessi,,Mopti,Douentza,,15.1,', // line 6: longitude missing
  'Koulogon,,Mopti', // line 7: too few columns
  'Yoro,,Mopti,Koro,,95,-2.9', // line 8: latitude out of range
  'Diallassagou,,Mopti,Bankass,,14.2,-3.7',
].join('\n');

describe('npm run tamtam -- gazetteer import', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let database: Database;
  let dir: string;
  beforeAll(async () => {
    db = await freshDatabase();
    database = connectDatabase(db.url, { max: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'tamtam-cli-'));
    await writeFile(path.join(dir, 'villages.csv'), villages);
  });
  afterAll(async () => {
    await database?.close();
    await db?.drop();
  });
  const run = (args: string[]) => runTamtamCli(args, { databaseUrl: db.url, dataDir: dir });

  it('imports the good rows and summarises the refused ones by reason, with their lines', async () => {
    const result = await run(['gazetteer', 'import', path.join(dir, 'villages.csv')]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      `${path.join(dir, 'villages.csv')}: 8 rows read, 3 places added, 5 rows refused`,
      '  2 × bad latitude (lines 5, 8)',
      '  1 × missing name (line 3)',
      '  1 × latitude and longitude must both be given (line 6)',
      '  1 × expected 7 columns, found 3 (line 7)',
    ]);
    // Not a terminal: plain progress lines on stderr, ending with the places saved.
    expect(result.stderr).toContain('saving places: 3/3 (100%)');
    const rows = await database.db.select().from(places).orderBy(places.name);
    expect(rows.map((p) => [p.name, p.altNames, p.admin2, p.source])).toEqual([
      ['Diallassagou', [], 'Bankass', 'villages.csv'],
      ['Ogossagou', ['Ogossagou Peul', 'Ogossogou'], 'Bankass', 'villages.csv'],
      ['Sobane Da', ['Sobane-Kou'], 'Bandiagara', 'villages.csv'],
    ]);
  });

  it('re-imports an unchanged file, and keeps the places when every row is refused', async () => {
    expect((await run(['gazetteer', 'import', path.join(dir, 'villages.csv'), '--format', 'plain'])).code).toBe(0);
    const wrong = await run(['gazetteer', 'import', path.join(dir, 'villages.csv'), '--format', 'oad']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('nothing imported: every row was refused; the places villages.csv brought before are kept');
    expect(await database.db.$count(places)).toBe(3);
  });

  it('exits with status 2 and one clear line for a missing file, an unknown format or header', async () => {
    const missing = await run(['gazetteer', 'import', path.join(dir, 'nope.csv')]);
    expect([missing.code, missing.stderr.trim()]).toEqual([2, `no such file: ${path.join(dir, 'nope.csv')}`]);
    const format = await run(['gazetteer', 'import', path.join(dir, 'villages.csv'), '--format', 'geojson']);
    expect([format.code, format.stderr.trim()]).toEqual([2, 'unknown format "geojson": use --format oad or plain']);
    await writeFile(path.join(dir, 'other.csv'), 'village;lat;lon\nKoro;14;-3\n');
    const header = await run(['gazetteer', 'import', path.join(dir, 'other.csv')]);
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/^unknown format: the header of .*other\.csv is neither Open Admin Data nor name,alt_names/);
    const unknown = await run(['gazetteer', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^unknown command "gazetteer frobnicate"/);
  });
});
