import { and, desc, eq, inArray } from 'drizzle-orm';
import type { OutcomeId } from '../domain/taxonomy.js';
import type { DbOrTx } from './index.js';
import { alertEvents } from './schema/index.js';

/**
 * The timeline events that say what the mission did about an alert:
 * `outcome_recorded` carries `{ outcomes: OutcomeId[], note? }`, the whole set as the officer left
 * it (the latest one counts); a `dismissed` transition may carry `{ duplicateOf: <ref> }`.
 */
export const outcomeEventType = 'outcome_recorded';

/** What was recorded of an alert's outcome: the latest set of outcomes, and the alert it duplicates. */
export interface RecordedOutcome {
  outcomes: OutcomeId[];
  duplicateOf: string | null;
}

export async function recordedOutcomeOf(db: DbOrTx, alertId: number): Promise<RecordedOutcome> {
  const events = await db
    .select({ type: alertEvents.type, data: alertEvents.data })
    .from(alertEvents)
    .where(and(eq(alertEvents.alertId, alertId), inArray(alertEvents.type, [outcomeEventType, 'dismissed'])))
    .orderBy(desc(alertEvents.id));
  return outcomeOfTimeline(events.reverse());
}

/** The recorded outcome read from an alert's timeline (oldest event first). */
export function outcomeOfTimeline(events: readonly { type: string; data: Record<string, unknown> }[]): RecordedOutcome {
  const latest = events.findLast((e) => e.type === outcomeEventType);
  const dismissal = events.findLast((e) => e.type === 'dismissed');
  return {
    outcomes: Array.isArray(latest?.data.outcomes) ? (latest.data.outcomes as OutcomeId[]) : [],
    duplicateOf: typeof dismissal?.data.duplicateOf === 'string' ? dismissal.data.duplicateOf : null,
  };
}
