import type { OfficerRow } from '../../db/offices.js';
import { activeOffices } from '../../db/offices.js';
import { threatTypes, type ThreatType } from '../../domain/taxonomy.js';
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

/** Applies `TYPE|LIEU|BUREAU <ref> <value>` from an officer and returns the reply, in the officer's language. */
export async function answerCorrection(
  deps: WorkflowDeps,
  officer: OfficerRow,
  command: Extract<OfficerCommand, { action: 'correct' }>,
): Promise<string> {
  const t = (key: string, vars: Record<string, unknown> = {}) => deps.t(officer.language, key, { ref: command.ref, ...vars });
  let result: CorrectionOutcome;
  if (command.field === 'threatType') {
    const languages = [...new Set([officer.language, deps.deployment.defaultLanguage, 'fr', 'en'])];
    const threatType = threatTypeNamed(command.value, (type) => languages.map((l) => deps.t(l, `common:threat.${type}`)));
    if (!threatType) return t('officer:correction.unknownType', { value: command.value, types: threatTypes.join(', ') });
    result = await correctAlert(deps, { alert: { ref: command.ref }, officerId: officer.id, threatType });
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
