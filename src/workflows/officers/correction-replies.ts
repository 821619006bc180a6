import type { OfficerRow } from '../../db/offices.js';
import { activeOffices } from '../../db/offices.js';
import { severities, threatTypes, type Severity, type ThreatType } from '../../domain/taxonomy.js';
import { normalizeName } from '../../gazetteer/normalize.js';
import { correctAlert, type CorrectionOutcome } from './corrections.js';
import type { WorkflowDeps } from '../deps.js';
import type { OfficerCommand } from './commands.js';

/**
 * The threat type an officer typed: its id (`attack_on_civilians`, `attack on civilians`), the
 * start of one (`abduction`, `attack`), or its name in one of `labels` (`enlèvement`, `pillage`);
 * null when unknown or ambiguous.
 */
export function threatTypeNamed(typed: string, labels: (type: ThreatType) => string[]): ThreatType | null {
  const wanted = normalizeName(typed);
  if (wanted.length < 3) return null;
  const ids = threatTypes.filter((t) => normalizeName(t) === wanted || normalizeName(t).startsWith(`${wanted} `));
  if (ids.length === 1) return ids[0]!;
  const named = threatTypes.filter((t) =>
    labels(t).some((label) => normalizeName(label) === wanted || normalizeName(label).startsWith(`${wanted} `)),
  );
  return named.length === 1 ? named[0]! : null;
}

/** The severity an officer typed: its id or its label in one of `labels` (`critique`, `élevée`), or its start; null when unknown. */
export function severityNamed(typed: string, labels: (severity: Severity) => string[]): Severity | null {
  const wanted = normalizeName(typed);
  if (wanted.length < 3) return null;
  const found = severities.filter((s) => [s, ...labels(s)].some((name) => normalizeName(name).startsWith(wanted)));
  return found.length === 1 ? found[0]! : null;
}

/**
 * The types of `TYPE <ref> <value>`: one type keeps the other types (see typesAfter); a list
 * (`enlèvement + viol`, `abduction, sexual violence`) sets the primary and the others, and a
 * trailing `+` alone clears the others. A string is the part that was not understood.
 */
export function typesNamed(
  value: string,
  labels: (type: ThreatType) => string[],
): { threatType: ThreatType; otherThreatTypes?: ThreatType[] } | string {
  const parts = value.split(/\s*[+,;]\s*/);
  const named: ThreatType[] = [];
  for (const part of parts.filter(Boolean)) {
    const type = threatTypeNamed(part, labels);
    if (!type) return part;
    named.push(type);
  }
  if (named.length === 0) return value;
  return parts.length === 1 ? { threatType: named[0]! } : { threatType: named[0]!, otherThreatTypes: named.slice(1) };
}

/** Applies `TYPE|GRAVITE|LIEU|BUREAU <ref> <value>` from an officer and returns the reply, in the officer's language. */
export async function answerCorrection(
  deps: WorkflowDeps,
  officer: OfficerRow,
  command: Extract<OfficerCommand, { action: 'correct' }>,
): Promise<string> {
  const t = (key: string, vars: Record<string, unknown> = {}) => deps.t(officer.language, key, { ref: command.ref, ...vars });
  let result: CorrectionOutcome;
  const languages = [...new Set([officer.language, deps.deployment.defaultLanguage, 'fr', 'en'])];
  if (command.field === 'threatType') {
    const types = typesNamed(command.value, (type) => languages.map((l) => deps.t(l, `common:threat.${type}`)));
    if (typeof types === 'string') return t('officer:correction.unknownType', { value: types, types: threatTypes.join(', ') });
    result = await correctAlert(deps, { alert: { ref: command.ref }, officerId: officer.id, ...types });
  } else if (command.field === 'severity') {
    const severity = severityNamed(command.value, (s) => languages.map((l) => deps.t(l, `common:severity.${s}`)));
    if (!severity) return t('officer:correction.unknownSeverity', { value: command.value, severities: severities.join(', ') });
    result = await correctAlert(deps, { alert: { ref: command.ref }, officerId: officer.id, severity });
  } else if (command.field === 'place') {
    result = await correctAlert(deps, { alert: { ref: command.ref }, officerId: officer.id, placeName: command.value });
  } else {
    result = await correctAlert(deps, { alert: { ref: command.ref }, officerId: officer.id, officeId: command.value });
  }
  return correctionReply(deps, officer, command.ref, result);
}

/** The answer to a correction, in the officer's language (SMS, chat and the operations room). */
export async function correctionReply(deps: WorkflowDeps, officer: OfficerRow, ref: string, result: CorrectionOutcome): Promise<string> {
  const t = (key: string, vars: Record<string, unknown> = {}) => deps.t(officer.language, key, { ref, ...vars });
  switch (result.outcome) {
    case 'done': {
      const parts: string[] = [];
      for (const change of result.changes) {
        if (change.field === 'threatType') {
          parts.push(
            t('officer:correction.threatType', {
              threat: t(`common:threat.${String(change.to)}`),
              severity: t(`common:severity.${result.alert.severity}`),
            }),
          );
        } else if (change.field === 'otherThreatTypes') {
          const others = change.to as string[];
          parts.push(
            others.length
              ? t('officer:correction.otherTypes', { threats: others.map((o) => t(`common:threat.${o}`)).join(', ') })
              : t('officer:correction.noOtherTypes'),
          );
        } else if (change.field === 'severity' && !result.changes.some((c) => c.field === 'threatType')) {
          parts.push(t('officer:correction.severity', { severity: t(`common:severity.${String(change.to)}`) }));
        } else if (change.field === 'place') {
          parts.push(t('officer:correction.place', { place: (change.to as { name: string }).name }));
        }
      }
      if (result.rerouted) parts.push(t('officer:correction.rerouted', { office: result.rerouted.to.name, count: result.rerouted.notified.length }));
      return t('officer:correction.done', { changes: parts.join('; ') });
    }
    case 'unchanged':
      return t('officer:correction.unchanged');
    case 'unknown_place':
      return t('officer:correction.unknownPlace', { value: result.value });
    case 'unknown_office':
      return t('officer:correction.unknownOffice', { value: result.value, offices: (await activeOffices(deps.db)).map((o) => o.id).join(', ') });
    case 'not_allowed':
      return t('officer:reply.notAllowed');
    case 'unknown_alert':
    case 'unknown_officer':
      return t('officer:reply.unknownAlert');
  }
}
