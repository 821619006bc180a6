import { severities, type Severity, type ThreatType, type Urgency } from './taxonomy.js';

/**
 * Severity = the threat type's base severity, moved up or down by urgency.
 * The deployment file's `severity` section overrides any entry (see README "Severity").
 */
export interface SeverityRule {
  base: Record<ThreatType, Severity>;
  /** Steps towards `critical` (positive) or `low` (negative). */
  urgencyShift: Record<Urgency, number>;
}

export const defaultSeverityRule: SeverityRule = {
  base: {
    attack_on_civilians: 'high',
    abduction: 'high',
    sexual_violence: 'high',
    armed_clash: 'high',
    explosive_device: 'high',
    armed_group_presence: 'medium',
    looting_destruction: 'medium',
    intercommunal_tension: 'medium',
    displacement: 'medium',
    other: 'low',
  },
  urgencyShift: { imminent: 1, ongoing: 1, past: -1, unknown: 0 },
};

export function severityOf(threatType: ThreatType, urgency: Urgency, rule: SeverityRule = defaultSeverityRule): Severity {
  // `severities` runs from critical (0) to low (3): a positive shift lowers the index.
  const index = severities.indexOf(rule.base[threatType]) - rule.urgencyShift[urgency];
  return severities[Math.min(severities.length - 1, Math.max(0, index))]!;
}

/** Severity of an alert that tells of several threat types: the worst of them (DESIGN.md). */
export function severityOfTypes(
  threatType: ThreatType,
  otherThreatTypes: readonly ThreatType[],
  urgency: Urgency,
  rule: SeverityRule = defaultSeverityRule,
): Severity {
  const each = [threatType, ...otherThreatTypes].map((type) => severities.indexOf(severityOf(type, urgency, rule)));
  return severities[Math.min(...each)]!;
}
