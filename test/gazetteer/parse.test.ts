import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGazetteer, readGazetteerFile, type GazetteerRow } from '../../src/gazetteer/parse.js';

async function parse(text: string, format?: 'oad' | 'plain'): Promise<GazetteerRow[]> {
  const rows: GazetteerRow[] = [];
  for await (const row of parseGazetteer(Readable.from([text]), format ? { format } : {})) rows.push(row);
  return rows;
}
const places = (rows: GazetteerRow[]) => rows.flatMap((r) => ('place' in r ? [r.place] : []));
const refusals = (rows: GazetteerRow[]) => rows.flatMap((r) => ('refused' in r ? [r.refused] : []));

const header = 'name,alt_names,admin1,admin2,admin3,lat,lon';

describe('plain gazetteer', () => {
  it('reads villages with alternative names and empty fields', async () => {
    const rows = await parse(`${header}\nOgossagou,Ogossagou Peul|Ogossogou,Bandiagara,Bankass,,14.28,-3.67\nSobane Da,,,,,,\n`);
    expect(places(rows)).toEqual([
      { name: 'Ogossagou', altNames: ['Ogossagou Peul', 'Ogossogou'], admin1: 'Bandiagara', admin2: 'Bankass', admin3: null, lat: 14.28, lon: -3.67 },
      { name: 'Sobane Da', altNames: [], admin1: null, admin2: null, admin3: null, lat: null, lon: null },
    ]);
  });

  it('refuses bad rows with their line number and a reason, and keeps the good ones', async () => {
    const rows = await parse(
      [
        header,
        ',Nameless,Mopti,,,14,-4',
        'Konna,,Mopti,Konna,,95,-3.89',
        'Sofara,,Mopti,Sofara,,14.0,west',
        'Fatoma,,Mopti,Mopti',
        'Sio,,Mopti,Mopti,,14.1,',
        '"Kona, la ville",,Mopti,Konna,,14.94,-3.89',
        'Borko,,Bandiagara,,,"14.3',
      ].join('\n'),
    );
    expect(refusals(rows)).toEqual([
      { line: 2, reason: 'missing name' },
      { line: 3, reason: 'bad latitude "95"' },
      { line: 4, reason: 'bad longitude "west"' },
      { line: 5, reason: 'expected 7 columns, found 4' },
      { line: 6, reason: 'latitude and longitude must both be given (lat "14.1", lon "")' },
      { line: 8, reason: 'unterminated quoted field' },
    ]);
    expect(places(rows).map((p) => p.name)).toEqual(['Kona, la ville']);
  });

  it('can be forced to the plain format', async () => {
    const rows = await parse('village,other,r,c,a,la,lo\nKani,,Bandiagara,Kani,,14.1,-3.2\n', 'plain');
    expect(places(rows).map((p) => [p.name, p.admin1])).toEqual([['Kani', 'Bandiagara']]);
  });

  it('refuses a header it does not recognise instead of guessing', async () => {
    const rows = await parse('village;region\nKonna;Mopti\n');
    expect(refusals(rows)).toEqual([{ line: 1, reason: expect.stringContaining('unknown header') }]);
  });

  it('forcing the Open Admin Data format on a plain file refuses its rows with a reason', async () => {
    const rows = await parse(`${header}\nKonna,,Mopti,Konna,,14.9,-3.9\n`, 'oad');
    expect(refusals(rows)).toEqual([{ line: 2, reason: 'missing id' }]);
  });

  it('never throws: every row is a named place or a refusal with a reason', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '|', '-', '1', '.', ' ', '\n') });
    return fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 1, maxLength: 8 }), { maxLength: 20 }), async (table) => {
        const text = [header, ...table.map((r) => r.join(','))].join('\n');
        const rows = await parse(text);
        for (const r of rows) {
          if ('refused' in r) expect(r.refused.reason).not.toBe('');
          else expect(r.place.name.trim()).not.toBe('');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips names written with quotes and commas', () => {
    const name = fc.string({ unit: fc.constantFrom('a', 'b', 'é', ',', '"', ' ', "'"), minLength: 1 }).filter((s) => s.trim() !== '');
    return fc.assert(
      fc.asyncProperty(name, async (n) => {
        const rows = await parse(`${header}\n"${n.replace(/"/g, '""')}",,Mopti,,,14,-4\n`);
        expect(places(rows).map((p) => p.name)).toEqual([n.trim()]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Open Admin Data gazetteer', () => {
  it('gives every commune its region and cercle from the parent ids in the file', async () => {
    const rows: GazetteerRow[] = [];
    for await (const row of readGazetteerFile('deploy/gazetteer/mali.csv')) rows.push(row);
    expect(refusals(rows)).toEqual([]);
    const all = places(rows);
    expect(all).toHaveLength(654);
    const konna = all.find((p) => p.name === 'Konna' && p.level === 3);
    expect(konna).toMatchObject({
      admin1: 'Mopti',
      admin2: 'Konna',
      admin3: 'Konna',
      code: 'ML-A050501',
      adminCodes: ['ML05', 'ML0505', 'ML-A050501'],
    });
    // this row has no parent.id in the file: its cercle comes from its code
    expect(all.find((p) => p.name === 'Niafunké')).toMatchObject({ admin1: 'Tombouctou', admin2: 'Soumpi', level: 3 });
    expect(all.find((p) => p.name === 'Timbuktu' || p.altNames.includes('Timbuktu'))).toMatchObject({
      name: 'Tombouctou',
      level: 1,
      admin1: 'Tombouctou',
    });
  });

  it('refuses rows whose parent is missing or whose coordinates are wrong', async () => {
    const text = [
      '# Data from Open Admin Data',
      'id,level,name.local,name.en,code.id,parent.id,geo.lat,geo.lon',
      'CD99,2,Nowhere,Nowhere,CD99,CD98,1,29',
      'CD61,1,Nord-Kivu,North Kivu,CD61,,-0.79,29.04',
      'CD6109,2,Beni,Beni,CD6109,CD61,0.48,229.4',
      'CD6105,2,Lubero,Lubero,CD6105,CD61,-0.15,29.24',
    ].join('\n');
    const rows = await parse(text);
    expect(refusals(rows)).toEqual([
      { line: 5, reason: 'bad longitude "229.4"' },
      { line: 3, reason: 'parent "CD98" of "Nowhere" not found in the file' },
    ]);
    expect(places(rows).map((p) => [p.name, p.admin1, p.admin2])).toEqual([
      ['Nord-Kivu', 'Nord-Kivu', null],
      ['Lubero', 'Nord-Kivu', 'Lubero'],
    ]);
  });
});
