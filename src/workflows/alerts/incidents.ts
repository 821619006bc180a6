import { lockAlert, updateAlert, type AlertRow } from '../../db/alerts.js';
import type { Tx } from '../../db/index.js';
import { lockIncidentOffices, recentIncidentsIn, reportsOf, type Corroboration } from '../../db/incidents.js';
import { insertOutbound, type OutboundInput, type QueuedOutbound } from '../../db/outbox.js';
import { corroborates, defaultIncidentSettings, placeKnown, type IncidentFacts } from '../../domain/incidents.js';
import { isOpen } from '../../domain/lifecycle.js';
import type { ThreatType } from '../../domain/taxonomy.js';
import type { WorkflowDeps } from '../deps.js';
import { messagesToHolders } from '../reporters/conversation.js';
import { classification, type ClassifiedStage } from './classify.js';
import { routing } from './route.js';
import type { FocalPointRow } from '../../db/focal-points.js';
import type { InboundRow } from '../../db/inbound.js';
import { acknowledgementTo } from '../reporters/acknowledgements.js';

/** A new warning as the inbound step hands it over (see ReceivedWarning in warnings.ts). */
interface Warning {
  message: InboundRow;
  reporter: FocalPointRow;
}

/** Where a warning that tells of an incident already warned of goes: an open alert, or the alert another warning of the same batch opens. */
export type GroupedUnder = { alert: AlertRow } | { leader: number };

/** New warnings sorted by incident: those that open alerts, and those grouped under one (README "Alerts about the same incident"). */
export interface IncidentGroups<W extends Warning = Warning> {
  /** Warnings that become alerts, in order, each with the reports that its alert starts with (and its classification, when made). */
  leaders: { warning: W; corroboration: Corroboration; classified?: ClassifiedStage }[];
  grouped: { warning: W; under: GroupedUnder }[];
}

const alone = <W extends Warning>(warnings: W[]): IncidentGroups<W> => ({
  leaders: warnings.map((warning) => ({ warning, corroboration: { reports: 1, reporters: 1 } })),
  grouped: [],
});

/**
 * Inside the transaction that writes new warnings (after the reporters' locks): groups each
 * warning under the oldest open alert of the last `sameIncident.window` that it corroborates
 * (compatible threat, one place: see corroborates), or under an earlier warning of the same batch
 * that opens an alert. Each office's area is locked while deciding (the offices the warnings would
 * go to), so two jobs cannot both open an alert for one incident. Only warnings that tell of a
 * threat and name a place, or come from a reporter with a registered place, are grouped; an
 * exercise is never grouped with a real alert.
 */
export async function groupByIncident<W extends Warning>(tx: Tx, deps: WorkflowDeps, warnings: W[]): Promise<IncidentGroups<W>> {
  const settings = deps.deployment.sameIncident;
  if (!settings.group) return alone(warnings);
  const rules = { ...defaultIncidentSettings, nearKm: settings.nearKm };
  const analysed = warnings.map((w) => {
    const stage = classification(deps, { text: w.message.text, language: w.reporter.language }, w.reporter);
    const place = stage.place && placeKnown(stage.place, rules) ? stage.place : null;
    const threatType = stage.set.threatType as ThreatType;
    const groupable = place !== null && threatType !== 'other';
    return {
      warning: w,
      stage,
      exercise: w.message.channel === 'simulator',
      facts: { threatType, otherThreatTypes: (stage.set.otherThreatTypes ?? []) as ThreatType[], place },
      officeId: groupable ? (routing(deps, place.place).set.officeId ?? null) : null,
    };
  });
  const offices = [...new Set(analysed.flatMap((a) => (a.officeId ? [a.officeId] : [])))].sort();
  if (offices.length === 0)
    return { leaders: analysed.map((a) => ({ warning: a.warning, corroboration: { reports: 1, reporters: 1 }, classified: a.stage })), grouped: [] };
  await lockIncidentOffices(tx, offices);
  // After the lock: alerts another job wrote meanwhile are seen.
  const open = await recentIncidentsIn(tx, { officeIds: offices, since: new Date(deps.now().getTime() - settings.window) });
  const groups: IncidentGroups<W> = { leaders: [], grouped: [] };
  // An alert a warning would join is locked and read again: an officer may have closed it since it
  // was listed (a warning joined to a resolved alert would never reach anyone). Locked, it stays open.
  const stillOpen = new Map<number, AlertRow | null>();
  const lockedOpen = async (alert: AlertRow) => {
    if (!stillOpen.has(alert.id)) {
      const locked = await lockAlert(tx, alert.id);
      stillOpen.set(alert.id, locked && isOpen(locked) ? locked : null);
    }
    return stillOpen.get(alert.id) ?? null;
  };
  const opened: { facts: IncidentFacts; exercise: boolean; index: number; reporters: Set<number> }[] = [];
  for (const a of analysed) {
    const { warning, facts, exercise } = a;
    const told = { threatType: facts.threatType, otherThreatTypes: facts.otherThreatTypes, place: facts.place };
    const candidates = a.officeId
      ? open.filter(
          (o) =>
            o.alert.exercise === exercise &&
            corroborates(
              { threatType: o.alert.threatType as ThreatType, otherThreatTypes: o.alert.otherThreatTypes as ThreatType[], place: o.place },
              told,
              rules,
            ),
        )
      : [];
    let existing: AlertRow | null = null;
    for (const candidate of candidates) if ((existing = await lockedOpen(candidate.alert))) break;
    const leader = existing || !a.officeId ? undefined : opened.find((o) => o.exercise === exercise && corroborates(o.facts, told, rules));
    if (existing) groups.grouped.push({ warning, under: { alert: existing } });
    else if (leader) {
      groups.grouped.push({ warning, under: { leader: leader.index } });
      groups.leaders[leader.index]!.corroboration.reports++;
      leader.reporters.add(warning.reporter.id);
      groups.leaders[leader.index]!.corroboration.reporters = leader.reporters.size;
    } else {
      if (a.officeId)
        opened.push({
          facts: { ...facts, place: facts.place!.place },
          exercise,
          index: groups.leaders.length,
          reporters: new Set([warning.reporter.id]),
        });
      groups.leaders.push({ warning, corroboration: { reports: 1, reporters: 1 }, classified: a.stage });
    }
  }
  return groups;
}

/**
 * Records warnings grouped under alerts, in the caller's transaction: a `report_added` event on the
 * alert's timeline (the reporter's pseudonym and words, never their number), the reporter's
 * confirmation naming the alert's reference, and the report passed to the officers holding the
 * alert (after its card, for an alert opened in the same batch), with its number and a button to
 * split it out. Returns the queued messages.
 */
export async function recordCorroborations(tx: Tx, deps: WorkflowDeps, grouped: { warning: Warning; alert: AlertRow }[]): Promise<QueuedOutbound[]> {
  const rows: OutboundInput[] = [];
  for (const { warning, alert } of grouped) {
    const { message, reporter } = warning;
    // Through updateAlert (the alert's updated_at moves): its cards are edited to count the report.
    await updateAlert(
      tx,
      alert.id,
      {},
      {
        type: 'report_added',
        actor: `reporter:${reporter.pseudonym}`,
        data: { pseudonym: reporter.pseudonym, text: message.text, inboundId: message.id },
      },
    );
    rows.push(...acknowledgementTo(deps, reporter, message, alert, { message: 'reporter:followUp', dedupeKey: `corroboration:${message.id}` }));
    // Its number among the alert's reports: what the officer types to split it out (SEPARER <ref> <n>).
    const n = (await reportsOf(tx, alert.id)).find((r) => r.inboundId === message.id)?.n ?? 0;
    rows.push(
      ...(await messagesToHolders(tx, deps, alert, (officer) => ({
        purpose: 'report_added',
        body: deps.t(officer.language, 'officer:conversation.reportAdded', { pseudonym: reporter.pseudonym, ref: alert.ref, text: message.text, n }),
        actions: [{ label: deps.t(officer.language, 'officer:button.split'), data: `split:${alert.ref}:m${message.id}` }],
        dedupeKey: `report:${message.id}:${officer.id}`,
      }))),
    );
  }
  return insertOutbound(tx, rows);
}
