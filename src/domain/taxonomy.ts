/** Threat types, aligned with the SAGE and ACLED categories (see DESIGN.md). */
export const threatTypes = [
  'attack_on_civilians',
  'armed_group_presence',
  'abduction',
  'sexual_violence',
  'looting_destruction',
  'armed_clash',
  'explosive_device',
  'intercommunal_tension',
  'displacement',
  'other',
] as const;
export type ThreatType = (typeof threatTypes)[number];

/** How close in time the threat is. */
export const urgencies = ['imminent', 'ongoing', 'past', 'unknown'] as const;
export type Urgency = (typeof urgencies)[number];

/** Severity drives the acknowledge deadline; it follows from type and urgency (see severity.ts). */
export const severities = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof severities)[number];

/** Alert lifecycle: new → notified → acknowledged → responding → resolved, or dismissed. */
export const alertStatuses = ['new', 'notified', 'acknowledged', 'responding', 'resolved', 'dismissed'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

export const officerRoles = ['officer', 'supervisor', 'joc', 'admin'] as const;
export type OfficerRole = (typeof officerRoles)[number];

/**
 * What the mission did about an alert, recorded when it is resolved (DESIGN.md "Outcomes"; ids
 * fixed, labels translated: `common:outcome.<id>`); an alert may have several. Recorded as an
 * `alert_events` row of type `outcome_recorded` with data `{ outcomes: OutcomeId[], note?: string }`;
 * the latest such row of an alert is its outcome. Dismissing as a duplicate records
 * `{ duplicateOf: <ref> }` in the data of the `dismissed` event.
 */
export const outcomeIds = ['patrol', 'engagement', 'authorities', 'humanitarian', 'no_action_possible', 'false_alarm'] as const;
export type OutcomeId = (typeof outcomeIds)[number];
