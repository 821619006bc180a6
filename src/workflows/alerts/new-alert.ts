import type { NewJob } from '../queue/queues.js';
import { createAlert, createAlerts, newAlertOf, type AlertRow, type AlertStage, type NewAlert } from '../../db/alerts.js';
import { learnFocalPointLanguages, type FocalPointRow } from '../../db/focal-points.js';
import type { Tx } from '../../db/index.js';
import { insertOutbound, type OutboundInput, type QueuedOutbound } from '../../db/outbox.js';
import type { FieldOfficeRow } from '../../db/offices.js';
import type { WorkflowDeps } from '../deps.js';
import { alertCardRows } from '../sending/cards.js';
import { memo } from '../../memo.js';
import { resolveTargets, type Recipient } from '../sending/recipients.js';
import { classification, type ClassifiedStage } from './classify.js';
import { escalationTimer, planNotification, type NotificationPlan } from './notify.js';
import { routing } from './route.js';

/** A reporter's new warning, as the inbound step hands it over. */
export interface NewWarning {
  text: string;
  channel: string;
  reporter: FocalPointRow;
}

const alertValues = (warning: NewWarning) => ({
  text: warning.text,
  channel: warning.channel,
  focalPointId: warning.reporter.id,
  language: warning.reporter.language,
  actor: `reporter:${warning.reporter.pseudonym}`,
});

/** Creates the alert of a new warning, still `new` (its stages run as jobs), inside the caller's transaction. */
export function createWarningAlert(tx: Tx, warning: NewWarning, stages: AlertStage[] = []): Promise<AlertRow> {
  return createAlert(tx, alertValues(warning), stages);
}

/** New alerts in front of their offices, once the transaction that wrote them commits. */
export interface NotifiedAlerts {
  /** In the order of the warnings. */
  alerts: AlertRow[];
  /** The cards and the messages queued alongside them, for their send jobs. */
  outbound: QueuedOutbound[];
  /** One escalation timer per alert, at its acknowledge deadline. */
  timers: NewJob[];
}

/**
 * Creates the alerts of new warnings already classified, routed and notified, all inside the
 * caller's transaction: each alert with its `created`, `classified`, `routed` and `notified`
 * events, its office's cards and whatever `alongside` adds (the reporter's confirmation).
 *
 * The stages are the ones the classify, route and notify jobs apply, with the same events, so the
 * timeline reads the same either way; deciding them before writing saves three jobs and a dozen
 * round trips per alert, and a burst of warnings is written with one statement per table rather
 * than per alert. The inbound step does this on a message's first attempt only: if it fails, the
 * retry creates the alert alone and the stages run as jobs of their own, so a fault in one stage
 * cannot keep a warning from becoming an alert.
 */
export async function createNotifiedAlerts(
  tx: Tx,
  deps: WorkflowDeps,
  warnings: NewWarning[],
  /** Messages to write with the alert at `index` (the reporter's confirmation). */
  alongside: (alert: AlertRow, index: number) => OutboundInput[] = () => [],
): Promise<NotifiedAlerts> {
  const now = deps.now();
  // Officers do not change during a transaction: one look-up per office for the whole batch.
  const resolved = new Map<string, Promise<Recipient[]>>();
  const recipientsOf = (office: FieldOfficeRow, targets: readonly string[]) => {
    const key = `${office.id}|${targets.join(',')}`;
    if (!resolved.has(key)) resolved.set(key, resolveTargets(tx, office, targets));
    return resolved.get(key)!;
  };
  const plans: { warning: NewWarning; classified: ClassifiedStage; notification: NotificationPlan; alert: NewAlert }[] = [];
  for (const warning of warnings) {
    const classified = classification(deps, { text: warning.text, language: warning.reporter.language }, warning.reporter);
    const routed = routing(deps, classified.place?.place ?? null);
    const notification = await planNotification(
      tx,
      deps,
      { id: null, officeId: routed.set.officeId ?? null, severity: classified.set.severity ?? null, timerSeq: 0 },
      now,
      recipientsOf,
    );
    const stages: AlertStage[] = [classified, routed, notification.stage, ...notification.after.map((event) => ({ set: {}, event }))];
    plans.push({ warning, classified, notification, alert: newAlertOf(alertValues(warning), stages) });
  }
  const alerts = await createAlerts(tx, plans.map((p) => p.alert));
  // Replies go out in the reporter's language: learn it from their first message.
  await learnFocalPointLanguages(
    tx,
    plans.flatMap((p) => (p.classified.reporterLanguage ? [{ id: p.warning.reporter.id, language: p.classified.reporterLanguage }] : [])),
  );
  // An officer's address is sealed once for the whole batch: the same officers get most cards.
  const seal = memo((address) => deps.pii.encrypt(address));
  const rows = plans.flatMap(({ warning, classified, notification }, i) => [
    ...alongside(alerts[i]!, i),
    ...alertCardRows(deps, {
      alert: alerts[i]!,
      office: notification.office,
      to: notification.to.reachable,
      level: 0,
      context: { place: classified.place?.place ?? null, pseudonym: warning.reporter.pseudonym },
      seal,
    }),
  ]);
  const outbound = await insertOutbound(tx, rows);
  const timers = alerts.map((alert, i) => escalationTimer(alert.id, alert.timerSeq, plans[i]!.notification.deadline.getTime() - now.getTime()));
  return { alerts, outbound, timers };
}
