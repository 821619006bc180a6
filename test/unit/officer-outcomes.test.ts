import { describe, expect, it } from 'vitest';
import { parseOfficerCommand } from '../../src/workflows/officers/commands.js';

describe('officer commands that record what was done', () => {
  it.each([
    ['FIN A7K3Q patrouille', { action: 'resolve', ref: 'A7K3Q', outcomes: ['patrol'] }],
    ['done a7k3q patrol engagement', { action: 'resolve', ref: 'A7K3Q', outcomes: ['patrol', 'engagement'] }],
    ['RESOLVE A7K3Q authorities, humanitarian', { action: 'resolve', ref: 'A7K3Q', outcomes: ['authorities', 'humanitarian'] }],
    [
      'fin A7K3Q dialogue FDS le chef de village a été reçu',
      { action: 'resolve', ref: 'A7K3Q', outcomes: ['engagement', 'authorities'], note: 'le chef de village a été reçu' },
    ],
    ['FIN A7K3Q aucune', { action: 'resolve', ref: 'A7K3Q', outcomes: ['no_action_possible'] }],
    ['FIN A7K3Q patrol patrouille', { action: 'resolve', ref: 'A7K3Q', outcomes: ['patrol'] }],
    ['DOUBLON A7K3Q b8m4r', { action: 'dismiss', ref: 'A7K3Q', duplicateOf: 'B8M4R' }],
    ['dup a7k3q B8M-4R', { action: 'dismiss', ref: 'A7K3Q', duplicateOf: 'B8M4R' }],
    ['NOTE A7K3Q Deux patrouilles demandées', { action: 'note', ref: 'A7K3Q', text: 'Deux patrouilles demandées' }],
  ])('%j', (text, expected) => {
    expect(parseOfficerCommand(text)).toEqual(expected);
  });

  it.each(['FIN A7K3Q merci', 'DOUBLON A7K3Q', 'DOUBLON A7K3Q ceci', 'NOTE A7K3Q', 'OK A7K3Q patrouille'])('%j is no command', (text) => {
    expect(parseOfficerCommand(text)).toBeNull();
  });
});
