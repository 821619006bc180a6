import { describe, expect, it } from 'vitest';
import { parseReporterCommand } from '../../src/workflows/reporters/commands.js';

describe('reporter keywords', () => {
  it.each([
    ['STOP', { kind: 'stop' }],
    ['Arrêt', { kind: 'stop' }],
    ['arret.', { kind: 'stop' }],
    ['CANCEL', { kind: 'stop' }],
    ['quit', { kind: 'stop' }],
    ['START', { kind: 'start' }],
    ['début', { kind: 'start' }],
    ['Aide', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['/start', { kind: 'help' }],
    ['LANG EN', { kind: 'language', language: 'en' }],
    ['langue bm', { kind: 'language', language: 'bm' }],
    ['lang francais', { kind: 'language', language: 'fr' }],
  ])('%j is a keyword', (text, command) => {
    expect(parseReporterCommand(text)).toEqual(command);
  });

  it.each(['Stop les tirs à Mopti svp', 'aide nous ils arrivent', 'langue', 'lang français de France', 'Des hommes armés à la fin du village'])(
    '%j is a warning, not a keyword',
    (text) => expect(parseReporterCommand(text)).toBeNull(),
  );
});
