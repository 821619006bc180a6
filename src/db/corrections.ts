import { and, eq, inArray, like, sql } from 'drizzle-orm';
import type { DbOrTx } from './index.js';
import { alertEvents, alerts } from './schema/index.js';
import type { AlertEventRow, AlertRow } from './alerts.js';

/** The event types that say what the classifier predicted and what officers corrected. */
export const analysisEventTypes = ['classified', 'routed', 'corrected', 'rerouted'] as const;

/** Alerts an officer corrected, oldest first, each with its analysis events in order. */
export async function correctedAlerts(db: DbOrTx): Promise<{ alert: AlertRow; events: AlertEventRow[] }[]> {
  const corrected = db
    .selectDistinct({ id: alertEvents.alertId })
    .from(alertEvents)
    .where(and(inArray(alertEvents.type, ['corrected', 'rerouted']), like(alertEvents.actor, 'officer:%')));
  const rows = await db.select().from(alerts).where(inArray(alerts.id, corrected)).orderBy(alerts.id);
  if (rows.length === 0) return [];
  const events = await db
    .select()
    .from(alertEvents)
    .where(
      and(
        inArray(
          alertEvents.alertId,
          rows.map((r) => r.id),
        ),
        inArray(alertEvents.type, [...analysisEventTypes]),
      ),
    )
    .orderBy(alertEvents.id);
  return rows.map((alert) => ({ alert, events: events.filter((e) => e.alertId === alert.id) }));
}

/** Whether an officer set the alert's severity themselves (a `corrected` event of field severity marked `set`). */
export async function severitySetByOfficer(db: DbOrTx, alertId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: alertEvents.id })
    .from(alertEvents)
    .where(
      and(
        eq(alertEvents.alertId, alertId),
        eq(alertEvents.type, 'corrected'),
        sql`${alertEvents.data}->>'field' = 'severity' and (${alertEvents.data}->>'set')::boolean`,
      ),
    )
    .limit(1);
  return row !== undefined;
}
