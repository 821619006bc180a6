import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DeploymentError, loadDeployment, parseDeployment } from '../../src/deployment/load.js';
import { testDeployment } from '../helpers/tamtam.js';

function problems(yaml: string): string[] {
  try {
    parseDeployment(yaml, '/srv/tamtam/deployment.yaml');
  } catch (error) {
    if (error instanceof DeploymentError) return error.problems;
    throw error;
  }
  return [];
}

const valid = testDeployment();

describe('the deployment file', () => {
  it('accepts the bundled demo deployment and resolves gazetteer paths next to the file', async () => {
    const demo = await loadDeployment();
    expect(demo.mission).toBe('DEMO');
    expect(demo.fieldOffices.find((o) => o.triage)?.id).toBe('joc');
    expect(demo.gazetteers[0]!.path).toMatch(/deploy\/gazetteer\/mali\.csv$/);
    expect(demo.timezone).toBe('Africa/Bamako');
    expect(parseDeployment(valid, '/srv/d.yaml').timezone).toBe('UTC');
    expect(demo.escalationPolicies.default!.ackTimeout).toEqual({ critical: 300_000, high: 900_000, medium: 3_600_000, low: 14_400_000 });
  });

  it.each([
    [
      'an officer in an unknown office',
      valid.replace('office: gao, role: officer', 'office: gaoo, role: officer'),
      'officers[3].office: unknown office "gaoo"',
    ],
    [
      'a bad duration',
      valid.replace('critical: 2s', 'critical: 5 minutes'),
      'escalationPolicies.default.ackTimeout.critical: "5 minutes" is not a duration (use 30s, 5m, 1h)',
    ],
    [
      'a bad phone number',
      valid.replace('"+22370000001"', '"70000001"'),
      'officers[0].phone: must be a valid international phone number, e.g. +22370000001',
    ],
    ['an unknown role', valid.replace('role: supervisor', 'role: boss'), 'officers[2].role:'],
    ['no triage office', valid.replace(', triage: true', ''), 'fieldOffices: one office must have triage: true'],
    [
      'an unknown escalation policy',
      valid.replace('location: [16.27, -0.04] }', 'location: [16.27, -0.04], escalation: fast }'),
      'fieldOffices[1].escalation: unknown escalation policy "fast"',
    ],
    ['a duplicate officer id', valid.replace('id: o-traore', 'id: o-diallo'), 'officers[1].id: duplicate officer "o-diallo"'],
    ['an unknown top-level key', `${valid}\nfieldOfices: []\n`, 'Unrecognized key: "fieldOfices"'],
    [
      'an unknown time zone',
      `${valid}\ntimezone: Africa/Bamakko\n`,
      'timezone: unknown time zone "Africa/Bamakko" (use an IANA name such as Africa/Bamako)',
    ],
    ['broken YAML', 'mission: [unclosed', 'YAML:'],
  ])('names the bad path for %s', (_, yaml, expected) => {
    const lines = problems(yaml);
    expect(lines.some((line) => line.startsWith(expected) || line.includes(expected))).toBe(true);
  });

  it('stores phone numbers in international form however they are written, so officers are recognised when they text', () => {
    const parsed = parseDeployment(valid.replace('"+22370000001"', '"+223 70 00 00 01"'), '/srv/tamtam/deployment.yaml');
    expect(parsed.officers[0]!.phone).toBe('+22370000001');
  });

  it('groups warnings of one incident within 10 km and 3 hours unless the file says otherwise', () => {
    const without = valid.replace(/^sameIncident:.*\n/m, '');
    expect(parseDeployment(without, '/srv/tamtam/deployment.yaml').sameIncident).toEqual({ nearKm: 10, window: 3 * 3_600_000, group: true });
    const set = `${without}sameIncident: { nearKm: 5, window: 90m }\n`;
    expect(parseDeployment(set, '/srv/tamtam/deployment.yaml').sameIncident).toEqual({ nearKm: 5, window: 90 * 60_000, group: true });
    expect(problems(`${without}sameIncident: { window: soon }\n`).some((line) => line.startsWith('sameIncident.window'))).toBe(true);
  });

  it('reports every problem at once, one line each', () => {
    const yaml = valid.replace('office: gao, role: officer', 'office: gaoo, role: officer').replace('critical: 2s', 'critical: soon');
    expect(problems(yaml)).toHaveLength(2);
  });

  it('stops start-up with a line naming the bad path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-bad-'));
    const file = path.join(dir, 'deployment.yaml');
    await writeFile(file, valid.replace('office: gao, role: officer', 'office: gaoo, role: officer'));
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DEPLOYMENT_FILE: file, DATA_DIR: dir, PORT: '0' },
    });
    const failure = await run.then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain(`${file}: officers[3].office: unknown office "gaoo"`);
  });
});
