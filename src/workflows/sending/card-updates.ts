import { getAlert } from '../../db/alerts.js';
import { insertOutbound, type QueuedOutbound } from '../../db/outbox.js';
import type { DbOrTx, Tx } from '../../db/index.js';
import { findOfficers, getOffice, getOfficer } from '../../db/offices.js';
import { cardEdits, lastOfficerEvent, lockAlertCards, sentCardCopies } from '../../db/cards.js';
import { outcomeEventType, recordedOutcomeOf } from '../../db/outcomes.js';
import { isOpen } from '../../domain/lifecycle.js';
import { renderAlertCard } from './card-text.js';
import type { WorkflowDeps } from '../deps.js';
import { cardActions, cardContextOf, outcomeActions } from './cards.js';
import { enqueueSends } from './pacing.js';
import { mayActOn } from '../officers/permissions.js';

/** Channels whose messages can be edited in place. */
export const editable: readonly string[] = ['telegram', 'simulator'];

/**
 * Events after which an alert's cards read differently: a status an officer set (the event is
 * named after the status), a corrected analysis, a move to another office.
 */
export const cardChangingEvents: readonly string[] = [
  'acknowledged',
  'responding',
  'resolved',
  'dismissed',
  'rerouted',
  'corrected',
  outcomeEventType,
];

/** Buttons compared by label and data (jsonb does not keep the keys' order). */
const sameButtons = (a: readonly { label: string; data: string }[], b: readonly { label: string; data: string }[]) =>
  a.length === b.length && a.every((button, i) => button.label === b[i]!.label && button.data === b[i]!.data);

type StatusBy = { officer: string; at: Date } | null;

/** The officer who last recorded an event of `type` (the alert's current status, or `rerouted`), and when, from its timeline. */
async function lastDoneBy(db: DbOrTx, alertId: number, type: string): Promise<StatusBy> {
  const event = await lastOfficerEvent(db, alertId, type);
  const officer = event ? await getOfficer(db, event.actor.slice('officer:'.length)) : null;
  return officer && event ? { officer: officer.name, at: event.at } : null;
}

/**
 * Re-renders every copy of an alert's card (each officer's, the office group's) after a status
 * change, a correction or a move to another office, showing who did what and when; resolved alerts trade their
 * buttons for the outcomes to tick, dismissed ones lose them, and so do the copies of an office the alert has left.
 *
 * `by` is who set the current status; when it is not given it is read from the timeline. A copy is
 * edited only if it no longer reads as the alert does now. With `copyId`, only that copy is looked
 * at: this is how the send step catches up a card that was still waiting to go out when the alert
 * changed.
 */
export async function queueCardUpdates(deps: WorkflowDeps, alertId: number, by?: StatusBy, only?: { copyId: number }): Promise<void> {
  const queued = await deps.db.transaction(async (tx) => {
    // One at a time per alert, each reading after the other has written: two changes a moment
    // apart (an acknowledgement, then a resolution) cannot leave the older edit as the newer row.
    await lockAlertCards(tx, alertId);
    return cardUpdatesOf(tx, deps, alertId, by, only);
  });
  await enqueueSends(deps, queued);
}

async function cardUpdatesOf(
  tx: Tx,
  deps: WorkflowDeps,
  alertId: number,
  by: StatusBy | undefined,
  only: { copyId: number } | undefined,
): Promise<QueuedOutbound[]> {
  const alert = await getAlert(tx, alertId);
  if (!alert) return [];
  const copies = await sentCardCopies(tx, only ?? { alertId }, editable);
  if (copies.length === 0) return [];
  // One after the other: a transaction is one connection, which runs one statement at a time
  // (pg queues concurrent ones, a use it deprecates).
  const office = alert.officeId ? await getOffice(tx, alert.officeId) : null;
  const context = await cardContextOf(tx, alert);
  const statusBy = by === undefined ? await lastDoneBy(tx, alert.id, alert.status) : by;
  const outcome = alert.status === 'resolved' || alert.status === 'dismissed' ? await recordedOutcomeOf(tx, alert.id) : null;
  const movedBy = await lastDoneBy(tx, alert.id, 'rerouted');
  const officerIds = copies
    .map((c) => c.recipient)
    .filter((r) => r.startsWith('officer:'))
    .map((r) => r.slice(8));
  const officers = new Map((officerIds.length ? await findOfficers(tx, { ids: officerIds }) : []).map((o) => [`officer:${o.id}`, o]));
  const open = isOpen(alert);
  // Buttons only for whoever may still use them: not on closed alerts, nor for an office the alert left.
  const mayAct = (recipient: string) => {
    const officer = officers.get(recipient);
    return officer ? mayActOn(officer, alert) : recipient === `office:${alert.officeId}`;
  };
  // The copies of an office the alert left say where it went and who moved it.
  const leftBehind = (recipient: string) => {
    const officer = officers.get(recipient);
    if (officer) return officer.officeId !== alert.officeId && !mayActOn(officer, alert);
    return recipient.startsWith('office:') && recipient !== `office:${alert.officeId}`;
  };
  // Moves are an officer's correction (the route stage runs before any card is sent).
  const movedTo = movedBy ? { office: office?.name ?? alert.officeId ?? '?', officer: movedBy.officer } : null;
  const view = { alert, office, ...context, outcome };
  // What each copy shows now: its latest edit (sent, or queued to be) or else the card as sent,
  // without an escalation's heading line (edits have none).
  const edits = await cardEdits(tx, alertId);
  const latestEdit = new Map(edits.map((e) => [e.editOf, e]));
  const shownOn = (copy: (typeof copies)[number]) =>
    latestEdit.get(copy.providerMessageId) ?? {
      body: copy.purpose === 'escalation' ? copy.body.slice(copy.body.indexOf('\n') + 1) : copy.body,
      actions: copy.actions,
    };
  const rows = copies.flatMap((copy) => {
    const language = officers.get(copy.recipient)?.language ?? deps.deployment.defaultLanguage;
    // Open alerts: the action buttons; resolved ones: what was done, to tick.
    const buttons = open
      ? cardActions(deps.t, language, alert.ref)
      : alert.status === 'resolved'
        ? outcomeActions(deps.t, language, alert.ref, outcome?.outcomes ?? [])
        : [];
    const actions = mayAct(copy.recipient) ? buttons : [];
    const copyView = { ...view, movedTo: leftBehind(copy.recipient) ? movedTo : null };
    const body = renderAlertCard(deps.t, language, { ...copyView, statusBy });
    // A copy that already reads as the alert does (a card written after the change, a copy edited
    // since) is left alone, whether or not it names who set the status.
    const shown = shownOn(copy);
    if ((shown.body === body || shown.body === renderAlertCard(deps.t, language, copyView)) && sameButtons(shown.actions ?? [], actions)) return [];
    return [
      {
        alertId,
        channel: copy.channel,
        recipient: copy.recipient,
        toEnc: copy.toEnc,
        purpose: 'card_update',
        body,
        actions,
        editOf: copy.providerMessageId,
        dedupeKey: `card_update:${copy.id}:${alert.status}:${alert.updatedAt.getTime()}`,
      },
    ];
  });
  return rows.length ? insertOutbound(tx, rows) : [];
}
