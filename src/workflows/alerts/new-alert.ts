import type { NewJob } from '../queue/queues.js';
import { createAlerts, newAlertOf, recordEvent, type AlertRow, type AlertStage, type NewAlert } from '../../db/alerts.js';
import type { LinkedIncident } from '../reporters/conversation.js';
import type { Corroboration } from '../../db/incidents.js';
import { learnFocalPointLanguages, type FocalPointRow } from '../../db/focal-points.js';
import type { Tx } from '../../db/index.js';
import { insertOutbound, type OutboundInput, type QueuedOutbound } from '../../db/outbox.js';
import type { FieldOfficeRow } from '../../db/offices.js';
import type { WorkflowDeps } from '../deps.js';
import { memo } from '../../memo.js';
import { resolveTargets, type Recipient } from '../sending/recipients.js';
import { classification, type ClassifiedStage } from './classify.js';
import { levelZero, planNotification, type NotificationPlan } from './notify.js';
import { routing } from './route.js';

/** A reporter's new warning, as the inbound step hands it over. */
export interface NewWarning {
  text: string;
  channel: string;
  reporter: FocalPointRow;
  /** The reporter's earlier alert of another incident, which this one is linked to. */
  linkTo?: LinkedIncident;
  /** The reports its alert starts with: this warning and those of the same batch grouped under it (see groupByIncident). */
  corroboration?: Corroboration | null;
  /** Its classification when already made (see groupByIncident): not made twice. */
  classified?: ClassifiedStage;
}

/** The link to the reporter's earlier alert, as a stage written with the new alert (its `linked` event). */
const linkStage = (warning: NewWarning): AlertStage[] =>
  warning.linkTo
    ? [
        {
          set: { linkedToId: warning.linkTo.alert.id },
          event: { type: 'linked', actor: 'system', data: { linkedTo: warning.linkTo.alert.ref, reason: warning.linkTo.reason } },
        },
      ]
    : [];

/** The `linked` event on the earlier alert's timeline, naming the new one. */
async function recordLinks(tx: Tx, warnings: NewWarning[], alerts: AlertRow[]): Promise<void> {
  for (const [i, warning] of warnings.entries()) {
    if (warning.linkTo)
      await recordEvent(tx, warning.linkTo.alert.id, {
        type: 'linked',
        actor: 'system',
        data: { linkedFrom: alerts[i]!.ref, reason: warning.linkTo.reason },
      });
  }
}

const alertValues = (warning: NewWarning) => ({
  text: warning.text,
  channel: warning.channel,
  focalPointId: warning.reporter.id,
  language: warning.reporter.language,
  actor: `reporter:${warning.reporter.pseudonym}`,
});

/** New alerts, and what is left to do once the transaction that wrote them commits. */
export interface NewAlerts {
  /** In the order of the warnings. */
  alerts: AlertRow[];
  /** The cards and the messages queued alongside them, for their send jobs. */
  outbound: QueuedOutbound[];
  /** Per alert, its escalation timer (stages decided now) or its classify job (stages as jobs). */
  jobs: NewJob[];
}

/** Whether a new alert's classify, route and notify stages are decided as it is written, or run as jobs of their own afterwards. */
export type Stages = 'now' | 'as jobs';

/**
 * Creates the alerts of new warnings, inside the caller's transaction: the one way a warning
 * becomes an alert, alone or in a burst, on a first attempt or a retry. Each alert comes with its
 * `created` event and whatever `alongside` adds (the reporter's confirmation), and the lot is
 * written with one statement per table.
 *
 * With `stages` `now` (a message's first attempt), each alert is also classified, routed and
 * notified before it is written: its `classified`, `routed` and `notified` events and its office's
 * cards go with it, and its escalation timer is returned. These are the stages the classify,
 * route and notify jobs apply, with the same events, so the timeline reads the same either way;
 * deciding them first saves three jobs and a dozen round trips per alert. With `as jobs` (a retry,
 * or warnings that could not be written together) the alert is left `new` and its classify job is
 * returned, so a fault in one stage cannot keep a warning from becoming an alert.
 */
export async function createWarningAlerts(
  tx: Tx,
  deps: WorkflowDeps,
  warnings: NewWarning[],
  stages: Stages,
  /** Messages to write with the alert at `index` (the reporter's confirmation). */
  alongside: (alert: AlertRow, index: number) => OutboundInput[] = () => [],
): Promise<NewAlerts> {
  if (stages === 'as jobs') {
    const alerts = await createAlerts(
      tx,
      warnings.map((warning) => newAlertOf(alertValues(warning), linkStage(warning))),
    );
    await recordLinks(tx, warnings, alerts);
    const outbound = await insertOutbound(
      tx,
      alerts.flatMap((alert, i) => alongside(alert, i)),
    );
    return { alerts, outbound, jobs: alerts.map((alert) => ({ name: 'classify', data: { alertId: alert.id } })) };
  }
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
    const classified = warning.classified ?? classification(deps, { text: warning.text, language: warning.reporter.language }, warning.reporter);
    const routed = routing(deps, classified.place?.place ?? null);
    const notification = await planNotification(
      tx,
      deps,
      { id: null, officeId: routed.set.officeId ?? null, severity: classified.set.severity ?? null, timerSeq: 0 },
      now,
      recipientsOf,
    );
    const decided: AlertStage[] = [
      ...linkStage(warning),
      classified,
      routed,
      notification.stage,
      ...notification.after.map((event) => ({ set: {}, event })),
    ];
    plans.push({ warning, classified, notification, alert: newAlertOf(alertValues(warning), decided) });
  }
  const alerts = await createAlerts(
    tx,
    plans.map((p) => p.alert),
  );
  await recordLinks(tx, warnings, alerts);
  // Replies go out in the reporter's language: learn it from their first message.
  await learnFocalPointLanguages(
    tx,
    plans.flatMap((p) => (p.classified.reporterLanguage ? [{ id: p.warning.reporter.id, language: p.classified.reporterLanguage }] : [])),
  );
  // An officer's address is sealed once for the whole batch: the same officers get most cards.
  const seal = memo((address) => deps.pii.encrypt(address));
  const levels = plans.map(({ warning, classified, notification }, i) =>
    levelZero(
      deps,
      alerts[i]!,
      notification,
      now,
      {
        place: classified.place?.place ?? null,
        pseudonym: warning.reporter.pseudonym,
        linkedTo: warning.linkTo?.alert.ref ?? null,
        corroboration: warning.corroboration ?? null,
      },
      seal,
    ),
  );
  const outbound = await insertOutbound(
    tx,
    levels.flatMap((level, i) => [...alongside(alerts[i]!, i), ...level.cards]),
  );
  return { alerts, outbound, jobs: levels.map((level) => level.timer) };
}
