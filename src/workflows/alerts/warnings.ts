import { lockReporters, reportersState } from '../../db/reporters.js';
import { type AlertRow } from '../../db/alerts.js';
import type { Tx } from '../../db/index.js';
import type { FollowUpBasis, LinkedIncident } from '../reporters/conversation.js';
import type { FocalPointRow } from '../../db/focal-points.js';
import type { OutboundInput } from '../../db/outbox.js';
import { markInboundsProcessed, type InboundRow } from '../../db/inbound.js';
import type { WorkflowDeps } from '../deps.js';
import { EarlierMessagePending, ProcessedConcurrently } from '../errors.js';
import { enqueueSends } from '../sending/pacing.js';
import { acknowledgementTo } from '../reporters/acknowledgements.js';
import { createWarningAlerts, type Stages } from './new-alert.js';
import { groupByIncident, recordCorroborations } from './incidents.js';
import { queueCardUpdates } from '../sending/card-updates.js';

/** A message found to be a new warning, and its reporter (registered by now). */
export interface ReceivedWarning {
  message: InboundRow;
  reporter: FocalPointRow;
  /** What the message was found to be new against (see followUpTarget); nulls: no open alert. */
  basis: FollowUpBasis;
  /** The reporter's alert this warning came soon after but tells of another incident (see followUpTarget). */
  linkTo?: LinkedIncident;
}

/** How long a message waits for an earlier one of its sender still being handled elsewhere. */
const waitForEarlierSeconds = 60;

/**
 * Inside the transaction that writes new alerts: locks their reporters, then keeps the warnings
 * whose reporter has the same newest open alert, last written about at the same time, as when the
 * message was looked at; one per reporter. Another job may have just made an alert of the same
 * reporter's previous message (two bursts a moment apart): a message left out (`again`) is looked
 * at again, and may follow up on that alert, rather than opening a second one. A message whose
 * sender's earlier message is still unprocessed in another job waits for it, so that the first
 * message, not the second, opens the alert: a warning alone stops here with EarlierMessagePending
 * (rolling its transaction back); in a batch it is looked at again, on its own.
 */
async function stillNew(tx: Tx, warnings: ReceivedWarning[]): Promise<{ kept: ReceivedWarning[]; again: ReceivedWarning[] }> {
  const reporters = warnings.map((w) => w.reporter.id);
  await lockReporters(tx, reporters);
  // After the lock: a statement that starts now sees what the other transaction committed.
  const { newestOpen: newest, waitingBehind: waiting } = await reportersState(
    tx,
    reporters,
    warnings.map((w) => w.message),
    waitForEarlierSeconds,
  );
  if (warnings.length === 1 && waiting.has(warnings[0]!.message.id)) {
    throw new EarlierMessagePending(warnings[0]!.message.id);
  }
  const kept: ReceivedWarning[] = [];
  const again: ReceivedWarning[] = [];
  const taken = new Set<number>();
  for (const w of warnings) {
    if (waiting.has(w.message.id) || !sameBasis(newest.get(w.reporter.id), w.basis) || taken.has(w.reporter.id)) again.push(w);
    else kept.push(w);
    taken.add(w.reporter.id);
  }
  return { kept, again };
}

/** The reporter's newest open alert, and their last message about it, are as when the message was read. */
function sameBasis(now: { id: number; lastMessageAt: Date | null } | undefined, then: FollowUpBasis): boolean {
  if (!now) return then.newestOpenId === null;
  return now.id === then.newestOpenId && (now.lastMessageAt?.getTime() ?? null) === (then.lastMessageAt?.getTime() ?? null);
}

/** The reporter's confirmation with the alert's reference (the alert's language when it was read as written). */
function confirmationOf(deps: WorkflowDeps, { message, reporter }: ReceivedWarning, alert: AlertRow): OutboundInput[] {
  return acknowledgementTo(deps, reporter, message, alert, {
    message: 'reporter:confirmation',
    dedupeKey: `confirmation:${alert.id}`,
    seen: { alert, text: message.text },
  });
}

const warningOf = ({ message, reporter, linkTo }: ReceivedWarning) => ({ text: message.text, channel: message.channel, reporter, linkTo });

/**
 * New warnings become alerts, confirmed to their reporters, with the messages marked processed:
 * one transaction for all of them, alone or a burst (see createWarningAlerts; `stages` says whether
 * the alerts go in front of their offices at once or their stages run as jobs). Then the
 * confirmations, cards and jobs are enqueued in one round trip (if the queue fails then, the
 * reconciler enqueues them). Returns the warnings to look at again (see stillNew); nothing was
 * written for them.
 */
export async function alertWarnings(deps: WorkflowDeps, warnings: ReceivedWarning[], stages: Stages = 'now'): Promise<ReceivedWarning[]> {
  const { created, again, regrouped } = await deps.db.transaction(async (tx) => {
    const { kept, again } = await stillNew(tx, warnings);
    if (kept.length === 0) return { created: null, again, regrouped: [] };
    // Stages as jobs (a retry): not classified yet, so each warning is an alert of its own.
    const { leaders, grouped } =
      stages === 'now' ? await groupByIncident(tx, deps, kept) : { leaders: kept.map((warning) => ({ warning, corroboration: null })), grouped: [] };
    const created = await createWarningAlerts(
      tx,
      deps,
      leaders.map((l) => ({ ...warningOf(l.warning), corroboration: l.corroboration, classified: 'classified' in l ? l.classified : undefined })),
      stages,
      (alert, i) => confirmationOf(deps, leaders[i]!.warning, alert),
    );
    const under = grouped.map((g) =>
      'alert' in g.under
        ? { warning: g.warning, alert: g.under.alert, openedTogether: false }
        : { warning: g.warning, alert: created.alerts[g.under.leader]!, openedTogether: true },
    );
    const marked = await markInboundsProcessed(tx, [
      ...leaders.map((l, i) => ({ id: l.warning.message.id, outcome: 'alert', alertId: created.alerts[i]!.id, focalPointId: l.warning.reporter.id })),
      ...under.map((u) => ({ id: u.warning.message.id, outcome: 'corroboration', alertId: u.alert.id, focalPointId: u.warning.reporter.id })),
    ]);
    // Rolls every alert back: the retry finds which messages are still to do.
    if (marked.size !== kept.length) throw new ProcessedConcurrently(kept.map((w) => w.message.id).filter((id) => !marked.has(id)));
    created.outbound.push(...(await recordCorroborations(tx, deps, under)));
    return { created, again, regrouped: [...new Set(under.filter((u) => !u.openedTogether).map((u) => u.alert.id))] };
  });
  if (created) {
    try {
      await enqueueSends(deps, created.outbound, created.jobs);
      // The count on the cards of alerts already sent ("3 reports from 2 reporters"), edited in place.
      for (const alertId of regrouped) await queueCardUpdates(deps, alertId);
    } catch (error) {
      // Written and committed: not a reason to write them again. What is left to queue is the
      // reconciler's (queued messages, stalled new alerts and due timers), as after a crash at this point.
      deps.log.error(
        { alerts: created.alerts.length, err: (error as Error).message },
        'alerts written, but their messages and jobs could not be queued; the reconciler will queue them',
      );
    }
  }
  return again;
}
