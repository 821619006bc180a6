import { describe, expect, it } from 'vitest';
import { formatImportSummary, groupRefusals, refusalKind } from '../../src/commands/gazetteer-import.js';
import { createProgress } from '../../src/commands/progress.js';
import type { AlertEventRow, AlertRow } from '../../src/db/alerts.js';
import type { FieldOfficeRow } from '../../src/db/offices.js';
import type { PlaceRow } from '../../src/db/places.js';
import { createI18n } from '../../src/i18n.js';
import { evidenceShown, renderAlertCard } from '../../src/workflows/sending/card-text.js';
import { correctionExamples } from '../../src/workflows/officers/correction-examples.js';
import { severityNamed, threatTypeNamed, typesNamed } from '../../src/workflows/officers/correction-replies.js';
import { typesAfter } from '../../src/workflows/officers/corrections.js';
import type { Severity, ThreatType } from '../../src/domain/taxonomy.js';
import { parseOfficerCommand } from '../../src/workflows/officers/commands.js';

describe('officers correct by text', () => {
  it.each([
    ['TYPE A7K3Q attack_on_civilians', { action: 'correct', ref: 'A7K3Q', field: 'threatType', value: 'attack_on_civilians' }],
    ['type a7k3q enlèvement', { action: 'correct', ref: 'A7K3Q', field: 'threatType', value: 'enlèvement' }],
    ['LIEU A7K3Q Sobane Da', { action: 'correct', ref: 'A7K3Q', field: 'place', value: 'Sobane Da' }],
    ['place a7k3q  Gao ', { action: 'correct', ref: 'A7K3Q', field: 'place', value: 'Gao' }],
    ['BUREAU A7K3Q gao', { action: 'correct', ref: 'A7K3Q', field: 'office', value: 'gao' }],
    ['Office A7K3Q Gao Field Office', { action: 'correct', ref: 'A7K3Q', field: 'office', value: 'Gao Field Office' }],
    ['OK A7K3Q', { action: 'acknowledge', ref: 'A7K3Q' }],
    ['LIEU A7K3Q', null], // no value
    ['TYPE hello attack', null], // not a reference
    ['lieu de la réunion demain', null],
  ])('%s', (text, expected) => {
    expect(parseOfficerCommand(text)).toEqual(expected);
  });

  it.each([
    ['attack_on_civilians', 'attack_on_civilians'],
    ['Attack on civilians', 'attack_on_civilians'],
    ['abduction', 'abduction'],
    ['attack', 'attack_on_civilians'],
    ['enlèvement', 'abduction'],
    ['Pillage', 'looting_destruction'],
    ['déplacement', 'displacement'],
    ['armed', null], // armed_group_presence or armed_clash
    ['xyz', null],
  ])('threat type named %s', async (typed, expected) => {
    const { t } = await createI18n();
    expect(threatTypeNamed(typed, (type) => ['fr', 'en'].map((l) => t(l, `common:threat.${type}`)))).toBe(expected);
  });
});

const alert = {
  id: 1,
  ref: 'A7K3Q',
  status: 'notified',
  threatType: 'displacement',
  urgency: 'ongoing',
  severity: 'high',
  confidence: 0.52,
  evidence: ['tirent sur', 'tirent', 'ce matin'],
  placeId: null,
  placeConfidence: null,
  officeId: 'joc',
  language: 'fr',
  text: 'Ils tirent sur les gens ce matin',
  channel: 'sms',
  exercise: false,
  focalPointId: null,
  otherThreatTypes: [],
  linkedToId: null,
  escalationLevel: 0,
  timerSeq: 1,
  ackDeadline: null,
  createdAt: new Date('2026-11-21T08:00:00Z'),
  classifiedAt: null,
  routedAt: null,
  notifiedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  closedAt: null,
  updatedAt: new Date('2026-11-21T08:00:00Z'),
} satisfies AlertRow;

describe('corrections as labelled examples', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 21, 8, 0, s));
  const event = (id: number, type: string, actor: string, data: Record<string, unknown>, when = at(id)): AlertEventRow => ({
    id,
    alertId: 1,
    at: when,
    type,
    actor,
    fromStatus: null,
    toStatus: null,
    data,
  });

  it('one example per correction, predicted from the classifier and router, corrected cumulatively', () => {
    const events = [
      event(1, 'classified', 'system', { threatType: 'displacement', otherThreatTypes: ['armed_group_presence'], urgency: 'ongoing', place: null }),
      event(2, 'routed', 'system', { office: 'joc', reason: 'triage' }),
      event(3, 'corrected', 'officer:o-joc', { field: 'threatType', from: 'displacement', to: 'attack_on_civilians' }, at(10)),
      event(4, 'corrected', 'officer:o-joc', { field: 'otherThreatTypes', from: ['armed_group_presence'], to: ['abduction'] }, at(10)),
      event(5, 'corrected', 'officer:o-joc', { field: 'severity', from: 'high', to: 'critical' }, at(10)),
      event(6, 'corrected', 'officer:o-joc', { field: 'place', from: null, to: { id: 9, name: 'Gao' } }, at(20)),
      event(7, 'rerouted', 'officer:o-joc', { from: 'joc', to: 'gao', reason: 'area' }, at(20)),
    ];
    const examples = correctionExamples(alert, events);
    const predicted = { threatType: 'displacement', otherThreatTypes: ['armed_group_presence'], urgency: 'ongoing', place: null, office: 'joc' };
    expect(examples).toEqual([
      {
        ref: 'A7K3Q',
        text: alert.text,
        language: 'fr',
        predicted,
        corrected: { ...predicted, threatType: 'attack_on_civilians', otherThreatTypes: ['abduction'] },
        fields: ['threatType', 'otherThreatTypes'],
        by: 'o-joc',
        at: at(10).toISOString(),
      },
      {
        ref: 'A7K3Q',
        text: alert.text,
        language: 'fr',
        predicted,
        corrected: { threatType: 'attack_on_civilians', otherThreatTypes: ['abduction'], urgency: 'ongoing', place: 'Gao', office: 'gao' },
        fields: ['place', 'office'],
        by: 'o-joc',
        at: at(20).toISOString(),
      },
    ]);
  });
});

describe('gazetteer import summary', () => {
  it('groups refusals by kind, without the values that differ row to row', () => {
    expect(refusalKind('bad latitude "abc"')).toBe('bad latitude');
    expect(refusalKind('latitude and longitude must both be given (lat "", lon "3")')).toBe('latitude and longitude must both be given');
    const refused = [3, 4, 5, 6, 7, 8, 9].map((line) => ({ line, reason: `bad longitude "${line}00"` }));
    expect(groupRefusals([...refused, { line: 2, reason: 'missing name' }])).toEqual([
      { reason: 'bad longitude', count: 7, lines: [3, 4, 5, 6, 7] },
      { reason: 'missing name', count: 1, lines: [2] },
    ]);
    expect(formatImportSummary('v.csv', { source: 'v.csv', rowsRead: 9, placesAdded: 1, refused, skipped: false, kept: false })).toEqual([
      'v.csv: 9 rows read, 1 places added, 7 rows refused',
      '  7 × bad longitude (lines 3, 4, 5, 6, 7, …)',
    ]);
  });

  it('progress: a redrawn bar on a terminal, periodic plain lines elsewhere', () => {
    let clock = 0;
    const plain: string[] = [];
    const log = createProgress({ write: (s: string) => plain.push(s) }, { intervalMs: 1000, now: () => clock });
    for (clock = 0; clock <= 2500; clock += 500) log.update('reading rows', clock);
    log.update('saving places', 10, 40);
    expect(plain).toEqual(['reading rows: 0\n', 'reading rows: 1,000\n', 'reading rows: 2,000\n', 'saving places: 10/40 (25%)\n']);
    const tty: string[] = [];
    const bar = createProgress({ write: (s: string) => tty.push(s), isTTY: true, columns: 60 }, { now: () => clock });
    bar.update('saving places', 20, 40);
    bar.finish();
    expect(tty[0]).toBe(`\rsaving places [${'#'.repeat(15)}${'-'.repeat(15)}] 20/40 (50%)\x1b[K`);
    expect(tty[1]).toBe('\n');
  });
});

describe('the card shows the evidence', () => {
  const office = { id: 'joc', name: 'Mission JOC' } as FieldOfficeRow;
  it('confidence as a percentage, the cues (not repeated inside longer ones), and what to do when the place is unknown', async () => {
    const { t } = await createI18n();
    expect(evidenceShown(['tirent sur', 'tirent', 'ce matin'])).toEqual(['tirent sur', 'ce matin']);
    const fr = renderAlertCard(t, 'fr', { alert, office, place: null, pseudonym: 'PF-3F2A' }).split('\n');
    expect(fr).toContain('Lieu : lieu inconnu → Mission JOC');
    expect(fr).toContain('Lieu non reconnu dans le message : demandez-le (R A7K3Q <question>) ou indiquez-le (LIEU A7K3Q <lieu>).');
    expect(fr).toContain('Analyse automatique : 52 % de confiance · indices : « tirent sur », « ce matin »');
    const place = { id: 9, name: 'Gao', admin1: 'Gao', admin2: null, admin3: null } as PlaceRow;
    const en = renderAlertCard(t, 'en', { alert: { ...alert, evidence: [], confidence: 0.4 }, office, place, pseudonym: null }).split('\n');
    expect(en).toContain('Automatic analysis: 40% confidence · no cue recognised');
    expect(en.some((l) => l.startsWith('No place recognised'))).toBe(false);
  });
});

describe('several threat types', () => {
  const office = { id: 'joc', name: 'Mission JOC' } as FieldOfficeRow;
  it('the card names the other types after the primary one, and the old office’s copy where the alert went', async () => {
    const { t } = await createI18n();
    const both = { ...alert, threatType: 'abduction', otherThreatTypes: ['sexual_violence'] };
    expect(renderAlertCard(t, 'en', { alert: both, office, place: null, pseudonym: null }).split('\n')[1]).toBe(
      'Abduction · also: Sexual violence (ongoing)',
    );
    expect(renderAlertCard(t, 'fr', { alert: both, office, place: null, pseudonym: null }).split('\n')[1]).toBe(
      'Enlèvement · aussi : Violence sexuelle (en cours)',
    );
    const moved = renderAlertCard(t, 'fr', {
      alert,
      office,
      place: null,
      pseudonym: null,
      movedTo: { office: 'Gao Field Office', officer: 'A. Diallo' },
    });
    expect(moved.split('\n')).toContain('Transférée à Gao Field Office par A. Diallo');
  });

  it.each([
    // [current primary, current others, wanted, expected primary, expected others]
    ['abduction', ['sexual_violence'], { threatType: 'sexual_violence' }, 'sexual_violence', ['abduction']],
    ['displacement', ['armed_group_presence'], { threatType: 'attack_on_civilians' }, 'attack_on_civilians', ['armed_group_presence']],
    ['abduction', [], { otherThreatTypes: ['displacement', 'sexual_violence', 'abduction'] }, 'abduction', ['sexual_violence', 'displacement']],
    ['abduction', ['sexual_violence'], { threatType: 'looting_destruction', otherThreatTypes: [] }, 'looting_destruction', []],
    ['abduction', ['sexual_violence'], {}, 'abduction', ['sexual_violence']],
  ] as const)('%s + %j corrected with %j', (threatType, others, wanted, primary, expected) => {
    const after = typesAfter(
      { threatType, otherThreatTypes: [...others], urgency: 'ongoing' },
      {
        threatType: 'threatType' in wanted ? wanted.threatType : undefined,
        otherThreatTypes: 'otherThreatTypes' in wanted ? [...wanted.otherThreatTypes] : undefined,
      },
    );
    expect(after).toEqual({ threatType: primary, otherThreatTypes: expected });
  });

  it('TYPE takes a list, GRAVITE a severity', async () => {
    const { t } = await createI18n();
    const labels = (type: ThreatType) => ['fr', 'en'].map((l) => t(l, `common:threat.${type}`));
    expect(typesNamed('enlèvement + violence sexuelle', labels)).toEqual({ threatType: 'abduction', otherThreatTypes: ['sexual_violence'] });
    expect(typesNamed('abduction, pillage', labels)).toEqual({ threatType: 'abduction', otherThreatTypes: ['looting_destruction'] });
    expect(typesNamed('enlèvement +', labels)).toEqual({ threatType: 'abduction', otherThreatTypes: [] });
    expect(typesNamed('enlèvement', labels)).toEqual({ threatType: 'abduction' });
    expect(typesNamed('enlèvement + xyz', labels)).toBe('xyz');
    const severityLabels = (s: Severity) => ['fr', 'en'].map((l) => t(l, `common:severity.${s}`));
    expect(['critique', 'élevée', 'ELEVEE', 'medium', 'faible', 'crit', 'xx'].map((s) => severityNamed(s, severityLabels))).toEqual([
      'critical',
      'high',
      'high',
      'medium',
      'low',
      'critical',
      null,
    ]);
    expect(parseOfficerCommand('GRAVITE a7k3q critique')).toEqual({ action: 'correct', ref: 'A7K3Q', field: 'severity', value: 'critique' });
    expect(parseOfficerCommand('severity A7K3Q high')).toEqual({ action: 'correct', ref: 'A7K3Q', field: 'severity', value: 'high' });
  });
});
