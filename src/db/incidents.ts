import { and, countDistinct, count, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from './index.js';
import { inboundMessages } from './schema/index.js';

/** Alerts about the same incident: how many reports corroborate one (README "Alerts about the same incident"). */

/** How many of the reporters' messages tell of an alert's incident, and from how many reporters. */
export interface Corroboration {
  reports: number;
  reporters: number;
}

/** The outcomes of an inbound message that count as a report of its alert's incident. */
export const reportOutcomes = ['alert', 'follow_up', 'corroboration'] as const;

/** Reports of an alert: the message that opened it, its follow-ups and the warnings grouped under it; reporters: distinct focal points among them. */
export async function corroborationOf(db: DbOrTx, alertId: number): Promise<Corroboration> {
  const [row] = await db
    .select({ reports: count(), reporters: countDistinct(inboundMessages.focalPointId) })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.alertId, alertId), inArray(inboundMessages.outcome, [...reportOutcomes]), isNotNull(inboundMessages.focalPointId)));
  return { reports: Number(row?.reports ?? 0), reporters: Number(row?.reporters ?? 0) };
}
