import type { OfficerRow } from '../../db/offices.js';
import type { WorkflowDeps } from '../deps.js';
import { bridgeToReporter, type BridgeOutcome } from '../reporters/bridge.js';
import { actOnAlert, type ActionOutcome } from './actions.js';
import { parseOfficerCommand } from './commands.js';
import { answerCorrection } from './correction-replies.js';

/** Reply text for an officer's command. */
function actionReply(deps: WorkflowDeps, officer: OfficerRow, ref: string, result: ActionOutcome | BridgeOutcome): string {
  const t = (key: string, vars: Record<string, unknown> = {}) => deps.t(officer.language, key, { ref, ...vars });
  switch (result.outcome) {
    case 'done':
      return t(`officer:reply.${result.alert.status === 'notified' ? 'escalated' : result.alert.status}`);
    case 'bridged':
      return t('officer:conversation.bridged', { pseudonym: result.pseudonym });
    case 'unreachable':
      return t('officer:conversation.reporterOptedOut', { pseudonym: result.pseudonym ?? '—' });
    case 'unknown_alert':
    case 'unknown_officer':
      return t('officer:reply.unknownAlert');
    case 'not_allowed':
      return t('officer:reply.notAllowed');
    case 'too_late':
      return t('officer:reply.alreadyTaken', { status: deps.t(officer.language, `common:status.${result.alert.status}`), officer: result.by?.name ?? '—' });
  }
}

/**
 * What an officer texts (SMS, simulator): a command (OK/FIN/R/TYPE/LIEU … <ref>) applied, or
 * failing that the help text. Returns the answer, in the officer's language.
 */
export async function answerOfficerText(deps: WorkflowDeps, officer: OfficerRow, text: string): Promise<string> {
  const command = parseOfficerCommand(text);
  if (!command) return deps.t(officer.language, 'officer:reply.help');
  if (command.action === 'correct') return answerCorrection(deps, officer, command);
  const args = { alert: { ref: command.ref }, officerId: officer.id };
  const result = command.action === 'reply' ? await bridgeToReporter(deps, { ...args, text: command.text }) : await actOnAlert(deps, { ...args, action: command.action });
  return actionReply(deps, officer, command.ref, result);
}
