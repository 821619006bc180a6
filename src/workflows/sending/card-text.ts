import type { Translate } from '../../i18n.js';
import type { AlertRow } from '../../db/alerts.js';
import type { FieldOfficeRow } from '../../db/offices.js';
import type { Place } from '../../domain/place.js';
import type { RecordedOutcome } from '../../db/outcomes.js';

/** What a card says of a place. */
export type PlaceNames = Pick<Place, 'name' | 'admin1' | 'admin2' | 'admin3'>;

/** What an officer's card shows. The reporter appears only as a pseudonym. */
export interface AlertCardView {
  alert: AlertRow;
  office: FieldOfficeRow | null;
  place: PlaceNames | null;
  pseudonym: string | null;
  /** Who moved the alert to its current status, and when (for edited cards). */
  statusBy?: { officer: string; at: Date } | null;
  /** What was done (resolved alerts) or which alert this one duplicates (dismissed ones). */
  outcome?: RecordedOutcome | null;
  /** On the copies of an office the alert left: where it went, and who moved it (null: the system). */
  movedTo?: { office: string; officer: string | null } | null;
  /** The reference of the reporter's earlier alert this one is linked to. */
  linkedTo?: string | null;
  /** Reports and distinct reporters telling of the incident (shown from two reporters on). */
  corroboration?: { reports: number; reporters: number } | null;
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16);
const day = (d: Date) => d.toISOString().slice(0, 10);

export function placeLabel(place: PlaceNames | null, unknown: string): string {
  if (!place) return unknown;
  const chain = [place.admin3, place.admin2, place.admin1].filter((p): p is string => Boolean(p) && p !== place.name);
  return chain.length ? `${place.name} (${chain.join(', ')})` : place.name;
}

/** The classifier's evidence as shown on a card: words already inside a longer cue are left out. */
export function evidenceShown(evidence: readonly string[], max = 5): string[] {
  const unique = [...new Set(evidence)];
  return unique.filter((cue) => !unique.some((other) => other !== cue && other.includes(cue))).slice(0, max);
}

/** The plain-text alert card, in the officer's language. */
export function renderAlertCard(
  t: Translate,
  language: string,
  view: AlertCardView,
  opts: { escalation?: { level: number; minutes: number }; smsHelp?: boolean } = {},
): string {
  const { alert } = view;
  const tr = (key: string, vars?: Record<string, unknown>) => t(language, key, vars);
  const lines = [
    tr('officer:card.title', { ref: alert.ref, severity: alert.severity ? tr(`common:severity.${alert.severity}`) : '?' }),
    tr('officer:card.type', {
      threat: threatLabel(tr, alert),
      urgency: tr(`common:urgency.${alert.urgency ?? 'unknown'}`),
    }),
    tr('officer:card.place', { place: placeLabel(view.place, tr('common:unknownPlace')), office: view.office?.name ?? '?' }),
    ...(view.place ? [] : [tr('officer:card.placeUnknown', { ref: alert.ref })]),
    ...(alert.confidence === null ? [] : [analysisLine(tr, alert.confidence, alert.evidence ?? [])]),
    tr('officer:card.words', { text: alert.text }),
    tr('officer:card.reporter', { pseudonym: view.pseudonym ?? '?', time: `${day(alert.createdAt)} ${hhmm(alert.createdAt)}` }),
    ...(view.corroboration && view.corroboration.reporters > 1 ? [tr('officer:card.corroboration', view.corroboration)] : []),
    ...(view.linkedTo ? [tr('officer:card.linkedTo', { ref: view.linkedTo })] : []),
  ];
  if (opts.escalation) lines.unshift(tr('officer:card.escalation', opts.escalation));
  if (view.statusBy) {
    lines.push(
      tr('officer:card.statusBy', { status: tr(`common:status.${alert.status}`), officer: view.statusBy.officer, time: hhmm(view.statusBy.at) }),
    );
  } else {
    lines.push(tr('officer:card.status', { status: tr(`common:status.${alert.status}`) }));
  }
  if (view.movedTo) {
    lines.push(
      view.movedTo.officer
        ? tr('officer:card.movedBy', { office: view.movedTo.office, officer: view.movedTo.officer })
        : tr('officer:card.moved', { office: view.movedTo.office }),
    );
  }
  lines.push(...outcomeLines(tr, alert.status, view.outcome));
  if (opts.smsHelp) lines.push(tr('officer:card.smsHelp', { ref: alert.ref }));
  return lines.join('\n');
}

/** The threat type and the other types the warning tells of: "Abduction · also: Sexual violence". */
export function threatLabel(
  tr: (key: string, vars?: Record<string, unknown>) => string,
  alert: Pick<AlertRow, 'threatType' | 'otherThreatTypes'>,
): string {
  const threat = alert.threatType ? tr(`common:threat.${alert.threatType}`) : tr('common:unclassified');
  const others = alert.otherThreatTypes ?? [];
  if (others.length === 0) return threat;
  return tr('officer:card.alsoTypes', { threat, others: others.map((o) => tr(`common:threat.${o}`)).join(', ') });
}

function analysisLine(tr: (key: string, vars?: Record<string, unknown>) => string, confidence: number, evidence: readonly string[]): string {
  const shown = evidenceShown(evidence);
  const percent = Math.round(confidence * 100);
  if (shown.length === 0) return tr('officer:card.analysisNoCue', { confidence: percent });
  return tr('officer:card.analysis', { confidence: percent, evidence: shown.map((w) => tr('officer:card.cue', { word: w })).join(', ') });
}

function outcomeLines(
  tr: (key: string, vars?: Record<string, unknown>) => string,
  status: string,
  outcome: RecordedOutcome | null | undefined,
): string[] {
  if (status === 'dismissed' && outcome?.duplicateOf) return [tr('officer:card.duplicateOf', { ref: outcome.duplicateOf })];
  if (status !== 'resolved') return [];
  if (!outcome?.outcomes.length) return [tr('officer:card.outcomeAsk')];
  return [tr('officer:card.outcomes', { outcomes: outcome.outcomes.map((id) => tr(`common:outcome.${id}`)).join(', ') })];
}
