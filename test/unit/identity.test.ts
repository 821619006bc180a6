import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newAlertReference, normaliseReference } from '../../src/domain/lifecycle.js';
import { createPii } from '../../src/pii.js';
import { parseOfficerCommand } from '../../src/workflows/officers/commands.js';

const pii = createPii(Buffer.alloc(32, 1).toString('base64'));

describe('alert references', () => {
  it('are five characters that cannot be misread (no 0/O, 1/I/L)', () => {
    for (let i = 0; i < 2_000; i++) expect(newAlertReference()).toMatch(/^[2-9A-HJKMNP-Z]{5}$/);
  });
  it('are read back whatever the case and spacing', () => {
    expect(normaliseReference(' a7k-3q ')).toBe('A7K3Q');
  });
});

describe('officer SMS commands', () => {
  it.each([
    ['OK A7K3Q', 'acknowledge'],
    ['ok a7k3q', 'acknowledge'],
    ['Reçu A7K3Q', 'acknowledge'],
    ['en cours A7K3Q', 'responding'],
    ['FIN A7K3Q', 'resolve'],
    ['done a7k3q', 'resolve'],
    ['fausse A7K3Q', 'dismiss'],
    ['ESC A7K3Q', 'escalate'],
  ])('%j means %s', (text, action) => {
    expect(parseOfficerCommand(text)).toEqual({ action, ref: 'A7K3Q' });
  });
  it.each(['Des hommes armés à Mopti', 'OK', 'merci beaucoup', 'ok merci'])('%j is not a command', (text) => {
    expect(parseOfficerCommand(text)).toBeNull();
  });
});

describe('protecting identities', () => {
  it('encrypts so that the same number never looks the same twice, and decrypts it back', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (value) => {
        const a = pii.encrypt(value);
        expect(a).not.toContain(value.length > 3 ? value : '\u0000');
        expect(pii.encrypt(value)).not.toBe(a);
        expect(pii.decrypt(a)).toBe(value);
      }),
    );
  });
  it('finds the same person by keyed hash, and another key cannot', () => {
    expect(pii.hash('phone:+22376000001')).toBe(pii.hash('phone:+22376000001'));
    expect(pii.hash('phone:+22376000001')).not.toBe(pii.hash('phone:+22376000002'));
    expect(createPii(Buffer.alloc(32, 2).toString('base64')).hash('phone:+22376000001')).not.toBe(pii.hash('phone:+22376000001'));
  });
  it('refuses a tampered ciphertext', () => {
    const sealed = pii.encrypt('+22376000001');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => pii.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
  });
  it('gives officers a pseudonym like PF-3F2A', () => {
    expect(pii.pseudonym('phone:+22376000001')).toMatch(/^PF-[0-9A-F]{4}$/);
  });
});
