import type { AlertRow } from '../../db/alerts.js';
import type { FocalPointRow } from '../../db/focal-points.js';
import { insertOutbound, markInboundsProcessed, type InboundRow, type OutboundInput } from '../../db/messages.js';
import type { WorkflowDeps } from '../deps.js';
import { enqueueSends } from '../dispatch.js';
import { createNotifiedAlerts, createWarningAlert } from './new-alert.js';

/** A message found to be a new warning, and its reporter (registered by now). */
export interface ReceivedWarning {
  message: InboundRow;
  reporter: FocalPointRow;
}

/** The reporter's confirmation with the alert's reference: none to a silent or opted-out reporter. */
function confirmationOf(deps: WorkflowDeps, { message, reporter }: ReceivedWarning, alert: AlertRow): OutboundInput[] {
  if (reporter.silent || reporter.optedOut) return [];
  const language = reporter.language ?? deps.deployment.defaultLanguage;
  return [
    {
      alertId: alert.id,
      channel: message.channel,
      recipient: `reporter:${reporter.id}`,
      toEnc: message.fromEnc,
      purpose: 'confirmation',
      body: deps.t(language, 'reporter:confirmation', { ref: alert.ref }),
      dedupeKey: `confirmation:${alert.id}`,
    },
  ];
}

const warningOf = ({ message, reporter }: ReceivedWarning) => ({ text: message.text, channel: message.channel, reporter });

/**
 * New warnings become alerts in front of their offices, confirmed to their reporters, with the
 * messages marked processed: one transaction for all of them (see createNotifiedAlerts). Then the
 * cards, confirmations and escalation timers are enqueued in one round trip.
 */
export async function alertWarnings(deps: WorkflowDeps, warnings: ReceivedWarning[]): Promise<AlertRow[]> {
  const notified = await deps.db.transaction(async (tx) => {
    const created = await createNotifiedAlerts(tx, deps, warnings.map(warningOf), (alert, i) => confirmationOf(deps, warnings[i]!, alert));
    const marked = await markInboundsProcessed(
      tx,
      warnings.map((w, i) => ({ id: w.message.id, outcome: 'alert', alertId: created.alerts[i]!.id, focalPointId: w.reporter.id })),
    );
    // Rolls every alert back: the retry finds which messages are still to do.
    if (marked.size !== warnings.length) throw new Error('inbound message processed concurrently; retrying');
    return created;
  });
  await enqueueSends(deps, notified.outbound, notified.timers);
  return notified.alerts;
}

/**
 * A retried warning: the alert is created alone (still `new`) and its classify, route and notify
 * stages run as jobs of their own, so a fault in one of them cannot keep the warning from
 * becoming an alert. The reporter is confirmed at once.
 */
export async function alertWarningAlone(deps: WorkflowDeps, warning: ReceivedWarning): Promise<AlertRow | null> {
  const created = await deps.db.transaction(async (tx) => {
    const alert = await createWarningAlert(tx, warningOf(warning));
    const marked = await markInboundsProcessed(tx, [{ id: warning.message.id, outcome: 'alert', alertId: alert.id, focalPointId: warning.reporter.id }]);
    if (marked.size === 0) throw new Error('inbound message processed concurrently; retrying'); // rolls the alert back
    return { alert, confirmation: await insertOutbound(tx, confirmationOf(deps, warning, alert)) };
  });
  await deps.queues.add('classify', { alertId: created.alert.id });
  await enqueueSends(deps, created.confirmation);
  return created.alert;
}
