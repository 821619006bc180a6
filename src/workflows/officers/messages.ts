import type { OfficerRow } from '../../db/offices.js';
import type { WorkflowDeps } from '../deps.js';
import { bridgeToReporter, type BridgeOutcome } from '../reporters/bridge.js';
import { actOnAlert } from './actions.js';
import { splitReport, type SplitOutcome } from '../alerts/split.js';
import { parseOfficerCommand } from './commands.js';
import { answerCorrection } from './correction-replies.js';
import { addNote, recordOutcomes, type OutcomeChange } from './outcomes.js';

/**
 * Runs an officer's typed command (SMS, or text in a private chat with the bot) and returns the
 * answer in the officer's language; the help text when it is no command. Each command calls the
 * same function as the matching Telegram button.
 */
export async function answerOfficerText(deps: WorkflowDeps, officer: OfficerRow, text: string): Promise<string> {
  const command = parseOfficerCommand(text);
  if (!command) return deps.t(officer.language, 'officer:reply.help');
  const alert = { ref: command.ref };
  switch (command.action) {
    case 'reply':
      return actionReply(deps, officer, command.ref, await bridgeToReporter(deps, { alert, officerId: officer.id, text: command.text }));
    case 'correct':
      return answerCorrection(deps, officer, command);
    case 'split':
      return splitReply(deps, officer, command.ref, await splitReport(deps, { ref: command.ref, n: command.n, officerId: officer.id }));
    case 'note':
      return actionReply(
        deps,
        officer,
        command.ref,
        await addNote(deps, { alert, officerId: officer.id, text: command.text }),
        'officer:reply.noteAdded',
      );
    default: {
      if ('outcomes' in command) {
        const note = command.note ? { note: command.note } : {};
        return actionReply(deps, officer, command.ref, await recordOutcomes(deps, { alert, officerId: officer.id, set: command.outcomes, ...note }));
      }
      if ('duplicateOf' in command) {
        return actionReply(
          deps,
          officer,
          command.ref,
          await actOnAlert(deps, { alert, officerId: officer.id, action: 'dismiss', duplicateOf: command.duplicateOf }),
        );
      }
      const result = await actOnAlert(deps, { alert, officerId: officer.id, action: command.action });
      const answer = actionReply(deps, officer, command.ref, result);
      // Resolved without saying what was done: say how to record it.
      return result.outcome === 'done' && command.action === 'resolve'
        ? `${answer} ${deps.t(officer.language, 'officer:reply.outcomeHint', { ref: command.ref })}`
        : answer;
    }
  }
}

/** Reply text for splitting a report out of an alert (SEPARER <ref> <n>, or the button). */
export function splitReply(deps: WorkflowDeps, officer: OfficerRow, ref: string, result: SplitOutcome): string {
  const t = (key: string, vars: Record<string, unknown>) => deps.t(officer.language, key, vars);
  switch (result.outcome) {
    case 'done':
      return t('officer:reply.split', { ref, split: result.split.ref, n: result.n });
    case 'no_such_report':
      return t('officer:reply.noSuchReport', { ref, n: result.n });
    case 'not_allowed':
      return t('officer:reply.notAllowed', { ref });
    default:
      return t('officer:reply.unknownAlert', { ref });
  }
}

/** Reply text for the result of an officer's action; `done` names the key for a success other than a status change. */
export function actionReply(deps: WorkflowDeps, officer: OfficerRow, ref: string, result: OutcomeChange | BridgeOutcome, done?: string): string {
  const t = (key: string, vars: Record<string, unknown> = {}) => deps.t(officer.language, key, { ref, ...vars });
  switch (result.outcome) {
    case 'done':
      if (done) return t(done);
      return t(`officer:reply.${result.alert.status === 'notified' ? 'escalated' : result.alert.status}`);
    case 'bridged':
      return t('officer:conversation.bridged', { pseudonym: result.pseudonym });
    case 'unreachable':
      return t('officer:conversation.reporterOptedOut', { pseudonym: result.pseudonym ?? '—' });
    case 'too_long':
      return t('officer:conversation.tooLong', { length: result.length, limit: result.limit });
    case 'unknown_alert':
    case 'unknown_officer':
      return t('officer:reply.unknownAlert');
    case 'unknown_duplicate':
      return t('officer:reply.unknownAlert', { ref: result.duplicateOf });
    case 'recorded': {
      const labels = result.outcomes.map((id) => deps.t(officer.language, `common:outcome.${id}`)).join(', ');
      return labels ? t('officer:reply.outcomesRecorded', { outcomes: labels }) : t('officer:reply.outcomesCleared');
    }
    case 'closed':
      return t('officer:reply.dismissedNoOutcome');
    case 'not_allowed':
      return t('officer:reply.notAllowed');
    case 'no_further_level':
      return t('officer:reply.noFurtherLevel');
    case 'too_late':
      return t('officer:reply.alreadyTaken', {
        status: deps.t(officer.language, `common:status.${result.alert.status}`),
        officer: result.by?.name ?? '—',
      });
  }
}
