import { lockAlert, getAlert, getAlertByRef, recordEvent, updateAlert, type AlertEventInput, type AlertRow } from '../../db/alerts.js';
import type { Tx } from '../../db/index.js';
import type { QueuedOutbound } from '../../db/outbox.js';
import { activeOffices, getOffice, getOfficer, type FieldOfficeRow, type OfficerRow } from '../../db/offices.js';
import { getPlace, placeByName, toPlace, type PlaceRow } from '../../db/places.js';
import { fieldOfficeFor } from '../../classify/routing.js';
import { escalationDeadline, rescheduledDeadline } from '../../domain/escalation.js';
import { severityOf, severityOfTypes, type SeverityRule } from '../../domain/severity.js';
import { severities, type Severity, type ThreatType, type Urgency } from '../../domain/taxonomy.js';
import { severitySetByOfficer } from '../../db/corrections.js';
import { normalizeName } from '../../gazetteer/normalize.js';
import { queueCardUpdates } from '../sending/card-updates.js';
import { mayActOn } from './permissions.js';
import type { WorkflowDeps } from '../deps.js';
import { enqueueSends } from '../sending/pacing.js';
import { queueAlertCards } from '../sending/cards.js';
import { policyFor } from '../alerts/policy.js';

/** What an officer corrects in the analysis of an alert; fields left out stay as they are. */
export interface CorrectionRequest {
  alert: { ref: string } | { id: number };
  officerId: string;
  threatType?: ThreatType;
  /**
   * The other types the warning tells of (the whole list; the primary type is left out of it).
   * Without it, a new primary type that was one of them swaps places with the old primary.
   */
  otherThreatTypes?: ThreatType[];
  /**
   * One other type ticked or unticked (the correction keyboard's "also" buttons): applied to the
   * list as it is once the alert is locked, so two officers' taps at once both count.
   */
  toggleOtherThreatType?: ThreatType;
  /** The severity as the officer sets it: kept from then on, whatever later type corrections say. */
  severity?: Severity;
  /** The place, by gazetteer id or by name (exact name first, then as the place finder reads it). */
  placeId?: number;
  placeName?: string;
  /** The office, by id or name. Without it, a new place re-routes the alert to the place's office. */
  officeId?: string;
}

/** A field as it was and as it is now, as recorded in the `corrected` event. */
export interface FieldChange {
  field: 'threatType' | 'otherThreatTypes' | 'severity' | 'place' | 'office';
  from: unknown;
  to: unknown;
  /** On a severity: the officer set it (it no longer follows from the types). */
  set?: true;
}

export type CorrectionOutcome =
  | {
      outcome: 'done';
      alert: AlertRow;
      changes: FieldChange[];
      /** Set when the alert moved to another office; `notified` lists who got its card. */
      rerouted: { from: string | null; to: FieldOfficeRow; notified: string[] } | null;
    }
  | { outcome: 'unchanged'; alert: AlertRow }
  | { outcome: 'unknown_alert' | 'unknown_officer' }
  | { outcome: 'not_allowed'; alert: AlertRow }
  | { outcome: 'unknown_place' | 'unknown_office'; value: string };

const placeValue = (p: PlaceRow | null) => (p ? { id: p.id, name: p.name } : null);

/** A place named by an officer: the gazetteer's exact name, else what the place finder makes of it. */
export async function placeNamed(deps: Pick<WorkflowDeps, 'db' | 'analyser'>, name: string): Promise<PlaceRow | null> {
  const exact = await placeByName(deps.db, name.trim());
  if (exact) return exact;
  const found = deps.analyser.findPlace(name);
  return found ? getPlace(deps.db, found.place.id) : null;
}

/** An active office by id or name, case and accents forgiven. */
export async function officeNamed(deps: Pick<WorkflowDeps, 'db'>, text: string): Promise<FieldOfficeRow | null> {
  const wanted = normalizeName(text);
  const offices = await activeOffices(deps.db);
  return offices.find((o) => normalizeName(o.id) === wanted) ?? offices.find((o) => normalizeName(o.name) === wanted) ?? null;
}

/**
 * Applies an officer's correction of an alert's analysis (the SMS commands, the card's buttons
 * and the operations room all come here). Each changed field is a `corrected` event
 * `{ field, from, to }`, committed with the change. New types recompute the severity as the worst
 * of them, unless an officer set the severity; a new severity on an unacknowledged alert moves its
 * deadline and replaces its escalation timer (`timerSeq` + 1).
 * Moving the alert to another office (given, or the new place's office) is a `rerouted` event and,
 * while the alert is unacknowledged, puts its card in front of the new office's first level and
 * restarts the escalation clock on that office's policy.
 */
export async function correctAlert(deps: WorkflowDeps, request: CorrectionRequest): Promise<CorrectionOutcome> {
  const officer = await getOfficer(deps.db, request.officerId);
  if (!officer) return { outcome: 'unknown_officer' };
  const found = 'ref' in request.alert ? await getAlertByRef(deps.db, request.alert.ref) : await getAlert(deps.db, request.alert.id);
  if (!found) return { outcome: 'unknown_alert' };

  let place: PlaceRow | null = null;
  if (request.placeId !== undefined || request.placeName !== undefined) {
    place = request.placeId !== undefined ? await getPlace(deps.db, request.placeId) : await placeNamed(deps, request.placeName!);
    if (!place) return { outcome: 'unknown_place', value: request.placeName ?? String(request.placeId) };
  }
  let office: FieldOfficeRow | null = null;
  if (request.officeId !== undefined) {
    office = (await getOffice(deps.db, request.officeId)) ?? (await officeNamed(deps, request.officeId));
    if (!office || !office.active) return { outcome: 'unknown_office', value: request.officeId };
  }

  const result = await deps.db.transaction((tx) =>
    applyCorrection(tx, deps, officer, found.id, {
      threatType: request.threatType,
      otherThreatTypes: request.otherThreatTypes,
      toggleOtherThreatType: request.toggleOtherThreatType,
      severity: request.severity,
      place,
      office,
    }),
  );
  if (result.outcome === 'not_allowed') {
    deps.log.warn({ officer: officer.id, alert: found.ref, action: 'correct' }, 'refused: officer outside the alert office');
    await recordEvent(deps.db, found.id, {
      type: 'action_refused',
      actor: `officer:${officer.id}`,
      data: { action: 'correct', reason: 'outside the alert office' },
    });
  }
  if (result.outcome !== 'done') return result;
  // Every copy of the card shows the corrected analysis; the old office's copies show where the
  // alert went, without buttons.
  await queueCardUpdates(deps, found.id);
  if (result.timer) {
    await enqueueSends(deps, result.timer.outbound);
    // The old office's timer is no longer needed; if it fires anyway it finds a newer timerSeq.
    await deps.queues.remove('escalate', { alertId: found.id, seq: result.timer.oldSeq }).catch(() => false);
    await deps.queues.add('escalate', { alertId: found.id, seq: result.timer.seq }, { delay: result.timer.delay });
  }
  return { outcome: 'done', alert: result.alert, changes: result.changes, rerouted: result.rerouted };
}

type Wanted = Pick<CorrectionRequest, 'threatType' | 'otherThreatTypes' | 'toggleOtherThreatType' | 'severity'> & {
  place: PlaceRow | null;
  office: FieldOfficeRow | null;
};

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The primary and other threat types after a correction. Other types are kept most severe first
 * (as the classifier gives them), never the primary, each once. A new primary that was one of the
 * other types trades places with the old primary ("abduction, also sexual violence" becomes
 * "sexual violence, also abduction"); any other new primary replaces it.
 */
export function typesAfter(
  alert: Pick<AlertRow, 'threatType' | 'otherThreatTypes' | 'urgency'>,
  wanted: Pick<CorrectionRequest, 'threatType' | 'otherThreatTypes'>,
  rule?: SeverityRule,
): { threatType: ThreatType | null; otherThreatTypes: ThreatType[] } {
  const current = alert.otherThreatTypes as ThreatType[];
  if (!wanted.otherThreatTypes && (!wanted.threatType || wanted.threatType === alert.threatType))
    return { threatType: alert.threatType as ThreatType | null, otherThreatTypes: current };
  const threatType = wanted.threatType ?? (alert.threatType as ThreatType | null);
  let others = wanted.otherThreatTypes ?? current;
  if (!wanted.otherThreatTypes && wanted.threatType && current.includes(wanted.threatType) && alert.threatType)
    others = [...current, alert.threatType as ThreatType];
  const urgency = (alert.urgency ?? 'unknown') as Urgency;
  const rank = (type: ThreatType) => severities.indexOf(severityOf(type, urgency, rule));
  const unique = [...new Set(others)].filter((type) => type !== threatType);
  return { threatType, otherThreatTypes: unique.sort((a, b) => rank(a) - rank(b)) };
}

type Applied =
  | {
      outcome: 'done';
      alert: AlertRow;
      changes: FieldChange[];
      rerouted: Extract<CorrectionOutcome, { outcome: 'done' }>['rerouted'];
      timer: { outbound: QueuedOutbound[]; oldSeq: number; seq: number; delay: number } | null;
    }
  | { outcome: 'unchanged' | 'not_allowed'; alert: AlertRow }
  | { outcome: 'unknown_alert' };

async function applyCorrection(tx: Tx, deps: WorkflowDeps, officer: OfficerRow, alertId: number, wanted: Wanted): Promise<Applied> {
  const alert = await lockAlert(tx, alertId);
  if (!alert) return { outcome: 'unknown_alert' };
  if (!mayActOn(officer, alert)) return { outcome: 'not_allowed', alert };
  const actor = `officer:${officer.id}`;
  const now = deps.now();
  const set: Partial<AlertRow> = {};
  const changes: FieldChange[] = [];

  const toggled = wanted.toggleOtherThreatType;
  const others = alert.otherThreatTypes as ThreatType[];
  if (toggled) wanted = { ...wanted, otherThreatTypes: others.includes(toggled) ? others.filter((o) => o !== toggled) : [...others, toggled] };
  const types = typesAfter(alert, wanted, deps.deployment.severity);
  if (types.threatType !== alert.threatType) changes.push({ field: 'threatType', from: alert.threatType, to: types.threatType });
  if (!sameList(types.otherThreatTypes, alert.otherThreatTypes))
    changes.push({ field: 'otherThreatTypes', from: alert.otherThreatTypes, to: types.otherThreatTypes });
  if (changes.length > 0) Object.assign(set, types);
  if (wanted.severity && wanted.severity !== alert.severity) {
    changes.push({ field: 'severity', from: alert.severity, to: wanted.severity, set: true });
    set.severity = wanted.severity;
  } else if (!wanted.severity && changes.length > 0 && types.threatType && !(await severitySetByOfficer(tx, alert.id))) {
    // The worst of the types, unless an officer set the severity themselves.
    const severity = severityOfTypes(types.threatType, types.otherThreatTypes, (alert.urgency ?? 'unknown') as Urgency, deps.deployment.severity);
    if (severity !== alert.severity) {
      changes.push({ field: 'severity', from: alert.severity, to: severity });
      set.severity = severity;
    }
  }
  let route: { officeId: string; reason: string } | null = null;
  if (wanted.place && wanted.place.id !== alert.placeId) {
    const before = alert.placeId ? await getPlace(tx, alert.placeId) : null;
    changes.push({ field: 'place', from: placeValue(before), to: placeValue(wanted.place) });
    Object.assign(set, { placeId: wanted.place.id, placeConfidence: 1 });
    const choice = fieldOfficeFor(toPlace(wanted.place), deps.deployment.fieldOffices);
    if (choice) route = choice;
  }
  if (wanted.office) {
    if (wanted.office.id !== alert.officeId) changes.push({ field: 'office', from: alert.officeId, to: wanted.office.id });
    route = { officeId: wanted.office.id, reason: 'officer' };
  }
  const moveTo = route && route.officeId !== alert.officeId ? (wanted.office ?? (await getOffice(tx, route.officeId))) : null;
  if (changes.length === 0 && !moveTo) return { outcome: 'unchanged', alert };

  const events: AlertEventInput[] = changes.map((c) => ({ type: 'corrected', actor, data: { ...c } }));
  let timer: Extract<Applied, { outcome: 'done' }>['timer'] = null;
  let rerouted: Extract<Applied, { outcome: 'done' }>['rerouted'] = null;
  if (moveTo && route) {
    Object.assign(set, { officeId: moveTo.id, routedAt: alert.routedAt ?? now });
    const moved = { from: alert.officeId, to: moveTo.id, reason: route.reason };
    if (alert.status === 'notified') {
      // As the notify step does, for the new office: its level 0, its deadline, a new timer.
      const policy = policyFor(deps.deployment, moveTo);
      const seq = alert.timerSeq + 1;
      const severity = (set.severity ?? alert.severity ?? 'medium') as Severity;
      const deadline = escalationDeadline(policy, severity, now);
      Object.assign(set, { ackDeadline: deadline, timerSeq: seq, escalationLevel: 0 });
      const cards = await queueAlertCards(tx, deps, { alert: { ...alert, ...set }, office: moveTo, targets: policy.levels[0]!.notify, level: 0 });
      events.push({
        type: 'rerouted',
        actor,
        data: { ...moved, level: 0, recipients: cards.recipients, unreachable: cards.unreachable, deadline: deadline.toISOString() },
      });
      if (cards.recipients.length === 0) {
        events.push({ type: 'notification_failed', actor: 'system', data: { level: 0, reason: 'nobody to notify at this level' } });
      }
      timer = { outbound: cards.outbound, oldSeq: alert.timerSeq, seq, delay: deadline.getTime() - now.getTime() };
      rerouted = { from: alert.officeId, to: moveTo, notified: cards.recipients };
    } else {
      events.push({ type: 'rerouted', actor, data: moved });
      rerouted = { from: alert.officeId, to: moveTo, notified: [] };
    }
  } else if (set.severity && set.severity !== alert.severity && alert.status === 'notified' && alert.ackDeadline && alert.officeId) {
    // A new severity changes how long the office has to acknowledge: a low alert corrected to
    // critical must not keep the low deadline.
    const office = await getOffice(tx, alert.officeId);
    const policy = office ? policyFor(deps.deployment, office) : null;
    const deadline = policy
      ? rescheduledDeadline(policy, alert.ackDeadline, (alert.severity ?? 'medium') as Severity, set.severity as Severity, now)
      : null;
    if (deadline && deadline.getTime() !== alert.ackDeadline.getTime()) {
      const seq = alert.timerSeq + 1;
      Object.assign(set, { ackDeadline: deadline, timerSeq: seq });
      events.push({
        type: 'deadline_changed',
        actor,
        data: { level: alert.escalationLevel, severity: set.severity, from: alert.ackDeadline.toISOString(), to: deadline.toISOString() },
      });
      timer = { outbound: [], oldSeq: alert.timerSeq, seq, delay: deadline.getTime() - now.getTime() };
    }
  }
  await updateAlert(tx, alertId, set, events[0]!);
  for (const event of events.slice(1)) await recordEvent(tx, alertId, event);
  return { outcome: 'done', alert: { ...alert, ...set, updatedAt: now }, changes, rerouted, timer };
}
