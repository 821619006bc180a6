import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readGazetteer, type GazetteerRow } from '../../src/gazetteer/parse.js';

async function rows(file: string): Promise<GazetteerRow[]> {
  const out: GazetteerRow[] = [];
  for await (const row of readGazetteer(file)) out.push(row);
  return out;
}

describe('gazetteer files', () => {
  it('reads Open Admin Data with each unit’s admin chain by name', async () => {
    const file = fileURLToPath(new URL('../../deploy/gazetteer/mali.csv', import.meta.url));
    const all = await rows(file);
    expect(all.every((r) => 'place' in r)).toBe(true);
    const places = all.flatMap((r) => ('place' in r ? [r.place] : []));
    expect(places).toHaveLength(654);
    expect(places.find((p) => p.name === 'Gounzoureye')).toMatchObject({ admin1: 'Gao', admin2: 'Gao', admin3: 'Gounzoureye', level: 3, lat: 16.272, lon: -0.045 });
  });

  it('reads the plain format and refuses bad rows with the line and the reason', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gaz-'));
    const file = path.join(dir, 'villages.csv');
    await writeFile(
      file,
      [
        'name,alt_names,admin1,admin2,admin3,lat,lon',
        'Ogossagou,Ogossagou Peul|Ogossagou-Peulh,Mopti,Bankass,,14.27,-3.86',
        ',,Mopti,,,14.1,-3.9',
        'Sobane Da,"Sobane, Da",Mopti,Bandiagara,,abc,-3.5',
        'Koulogon,,Mopti,Bankass,,14.1',
        '"Diallassagou",,Mopti,Bankass,,,',
      ].join('\n'),
    );
    const all = await rows(file);
    expect(all[0]).toEqual({
      place: { name: 'Ogossagou', altNames: ['Ogossagou Peul', 'Ogossagou-Peulh'], admin1: 'Mopti', admin2: 'Bankass', admin3: null, lat: 14.27, lon: -3.86, code: null, level: null },
    });
    expect(all.slice(1, 4)).toEqual([
      { refused: { line: 3, reason: 'name is empty' } },
      { refused: { line: 4, reason: 'bad coordinates "abc,-3.5"' } },
      { refused: { line: 5, reason: 'expected 7 columns, found 6' } },
    ]);
    expect(all[4]).toMatchObject({ place: { name: 'Diallassagou', lat: null, lon: null } });
  });
});
