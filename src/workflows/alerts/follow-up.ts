import { lockAlert, type AlertRow } from '../../db/alerts.js';
import type { FocalPointRow } from '../../db/focal-points.js';
import type { InboundRow } from '../../db/inbound.js';
import { corroborationOf } from '../../db/incidents.js';
import { isOpen } from '../../domain/lifecycle.js';
import type { WorkflowDeps } from '../deps.js';
import { forwardToHolders } from '../reporters/conversation.js';
import { reporterLanguage } from '../reporters/language.js';
import { queueCardUpdates } from '../sending/card-updates.js';
import { finish } from './finish.js';

/** Thrown inside a follow-up's transaction when its alert was closed meanwhile: the transaction rolls back. */
const closedMeanwhile = new Error('the followed alert was closed meanwhile');

/**
 * Records a reporter's message as a follow-up of their open alert `followed`: the message marked,
 * the reporter told it was added, the officers holding the alert given it, in one transaction.
 * False, with nothing written, when an officer closed the alert since it was chosen: the message
 * is then decided again (it is no follow-up).
 */
export async function addFollowUp(deps: WorkflowDeps, message: InboundRow, reporter: FocalPointRow, followed: AlertRow): Promise<boolean> {
  const language = reporterLanguage(deps, reporter, { alert: followed, text: message.text });
  const added = await finish(
    deps,
    message,
    { outcome: 'follow_up', alertId: followed.id, focalPointId: reporter.id },
    !reporter.silent && !reporter.optedOut
      ? { recipient: `reporter:${reporter.id}`, body: deps.t(language, 'reporter:followUp', { ref: followed.ref }), alertId: followed.id }
      : null,
    async (tx) => {
      const locked = await lockAlert(tx, followed.id);
      if (!locked || !isOpen(locked)) throw closedMeanwhile;
      return forwardToHolders(tx, deps, { alert: locked, reporter, text: message.text, inboundId: message.id });
    },
  ).then(
    () => true,
    (error: unknown) => {
      if (error === closedMeanwhile) return false;
      throw error;
    },
  );
  // A card that counts the reports ("3 reports from 2 reporters": from two reporters on) is edited to count this one.
  if (added && (await corroborationOf(deps.db, followed.id)).reporters > 1) await queueCardUpdates(deps, followed.id);
  return added;
}
