import type { Severity } from './taxonomy.js';

/** An escalation policy as validated from the deployment file (timeouts in milliseconds). */
export interface EscalationPolicyRule {
  ackTimeout: Record<Severity, number>;
  levels: readonly { notify: readonly string[] }[];
  repeatLast: number;
}

/** When the alert must be acknowledged, counted from `from` (when its level was notified). */
export function escalationDeadline(policy: EscalationPolicyRule, severity: Severity, from: Date): Date {
  return new Date(from.getTime() + policy.ackTimeout[severity]);
}

/**
 * The current level's deadline once the alert's severity changes: still counted from when the
 * level was notified (the old deadline less the old severity's timeout), now with the new
 * severity's timeout, and never before `now` (a deadline already past means: escalate now).
 */
export function rescheduledDeadline(policy: EscalationPolicyRule, deadline: Date, from: Severity, to: Severity, now: Date): Date {
  const levelNotifiedAt = deadline.getTime() - policy.ackTimeout[from];
  return new Date(Math.max(now.getTime(), levelNotifiedAt + policy.ackTimeout[to]));
}

/** The highest escalation level: every level once, then the last one `repeatLast` more times. */
export function lastEscalationLevel(policy: EscalationPolicyRule): number {
  return policy.levels.length - 1 + policy.repeatLast;
}

/**
 * What happens when the deadline at `currentLevel` passes unacknowledged: the next level and whom
 * it notifies, or null when every level (and its repeats) has been notified.
 */
export function nextEscalation(policy: EscalationPolicyRule, currentLevel: number): { level: number; notify: readonly string[] } | null {
  const level = currentLevel + 1;
  if (level > lastEscalationLevel(policy)) return null;
  return { level, notify: policy.levels[Math.min(level, policy.levels.length - 1)]!.notify };
}
