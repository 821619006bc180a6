import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { getAlert } from '../db/alerts.js';
import { getFocalPoint } from '../db/focal-points.js';
import { insertOutbound } from '../db/messages.js';
import { findOfficers, getOffice } from '../db/offices.js';
import { getPlace } from '../db/places.js';
import { outboundMessages } from '../db/schema/index.js';
import { openStatuses } from '../domain/lifecycle.js';
import type { AlertStatus } from '../domain/taxonomy.js';
import { renderAlertCard } from './alert-card.js';
import type { WorkflowDeps } from './deps.js';
import { cardActions, enqueueSends } from './dispatch.js';
import { mayActOn } from './permissions.js';

/** Channels whose messages can be edited in place. */
const editable = ['telegram', 'simulator'];

/**
 * Re-renders every copy of an alert's card (each officer's, the office group's) after a status
 * change or a move to another office, showing who did what and when; closed alerts lose their
 * buttons, and so do the copies of an office the alert has left.
 */
export async function queueCardUpdates(deps: WorkflowDeps, alertId: number, by: { officer: string; at: Date } | null): Promise<void> {
  const alert = await getAlert(deps.db, alertId);
  if (!alert) return;
  const copies = await deps.db
    .select()
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.alertId, alertId),
        inArray(outboundMessages.purpose, ['card', 'escalation']),
        inArray(outboundMessages.channel, editable),
        isNotNull(outboundMessages.providerMessageId),
      ),
    );
  if (copies.length === 0) return;
  const [office, place, reporter] = await Promise.all([
    alert.officeId ? getOffice(deps.db, alert.officeId) : null,
    alert.placeId ? getPlace(deps.db, alert.placeId) : null,
    alert.focalPointId ? getFocalPoint(deps.db, alert.focalPointId) : null,
  ]);
  const officerIds = copies.map((c) => c.recipient).filter((r) => r.startsWith('officer:')).map((r) => r.slice(8));
  const officers = new Map((officerIds.length ? await findOfficers(deps.db, { ids: officerIds }) : []).map((o) => [`officer:${o.id}`, o]));
  const open = openStatuses.includes(alert.status as AlertStatus);
  // Buttons only for whoever may still use them: not on closed alerts, nor for an office the alert left.
  const mayAct = (recipient: string) => {
    const officer = officers.get(recipient);
    return officer ? mayActOn(officer, alert) : recipient === `office:${alert.officeId}`;
  };
  const rows = copies.map((copy) => {
    const language = officers.get(copy.recipient)?.language ?? deps.deployment.defaultLanguage;
    return {
      alertId,
      channel: copy.channel,
      recipient: copy.recipient,
      toEnc: copy.toEnc,
      purpose: 'card_update',
      body: renderAlertCard(deps.t, language, { alert, office, place, pseudonym: reporter?.pseudonym ?? null, statusBy: by }),
      actions: open && mayAct(copy.recipient) ? cardActions(deps.t, language, alert.ref) : [],
      editOf: copy.providerMessageId,
      dedupeKey: `card_update:${copy.id}:${alert.status}:${alert.updatedAt.getTime()}`,
    };
  });
  await enqueueSends(deps, await insertOutbound(deps.db, rows));
}
