import { createAlert, type AlertRow, type AlertStage } from '../../db/alerts.js';
import type { FocalPointRow } from '../../db/focal-points.js';
import type { Tx } from '../../db/index.js';
import type { OutboundInput } from '../../db/messages.js';
import type { WorkflowDeps } from '../deps.js';
import { classification, learnReporterLanguage } from './classify.js';
import { notifyAlert, type Notified } from './notify.js';
import { routing } from './route.js';

/** A reporter's new warning, as the inbound step hands it over. */
export interface NewWarning {
  text: string;
  channel: string;
  reporter: FocalPointRow;
}

/** Creates the alert of a new warning (with any stages already decided), inside the caller's transaction. */
export function createWarningAlert(tx: Tx, warning: NewWarning, stages: AlertStage[] = []): Promise<AlertRow> {
  const { reporter } = warning;
  return createAlert(
    tx,
    { text: warning.text, channel: warning.channel, focalPointId: reporter.id, language: reporter.language, actor: `reporter:${reporter.pseudonym}` },
    stages,
  );
}

/**
 * Creates the alert of a new warning already classified and routed, and puts it in front of its
 * office, all inside the caller's transaction.
 *
 * The stages are the ones the classify, route and notify jobs apply, and each writes its own
 * event, so the timeline reads the same either way; deciding classification and routing before
 * writing and doing it all in one job and one transaction saves three jobs and a dozen round trips
 * per alert. The inbound step does this on a message's first attempt only: if it fails, the retry
 * creates the alert alone and the stages run as jobs of their own, so a fault in one stage cannot
 * keep a warning from becoming an alert.
 */
export async function createNotifiedAlert(
  tx: Tx,
  deps: WorkflowDeps,
  warning: NewWarning,
  /** Messages to queue with the cards once the alert exists (the reporter's confirmation). */
  alongside: (alert: AlertRow) => OutboundInput[] = () => [],
): Promise<{ alert: AlertRow; notified: Notified }> {
  const { reporter } = warning;
  const classified = classification(deps, { text: warning.text, language: reporter.language }, reporter);
  const place = classified.place?.place ?? null;
  const alert = await createWarningAlert(tx, warning, [classified, routing(deps, place)]);
  await learnReporterLanguage(tx, reporter, classified);
  const notified = await notifyAlert(tx, deps, alert, { place, pseudonym: reporter.pseudonym }, alongside(alert));
  return { alert, notified };
}
