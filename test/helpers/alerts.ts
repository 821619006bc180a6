import { eq } from 'drizzle-orm';
import { alertEvents, alerts } from '../../src/db/schema/index.js';
import type { TestTamtam } from './tamtam.js';
import { eventually } from './tamtam.js';

export async function alertRows(app: TestTamtam) {
  return app.deps.db.select().from(alerts).orderBy(alerts.id);
}

export async function eventsOf(app: TestTamtam, alertId: number) {
  return app.deps.db.select().from(alertEvents).where(eq(alertEvents.alertId, alertId)).orderBy(alertEvents.id);
}

/** Sends a warning as a reporter and waits until it is notified; returns the alert row. */
export async function reportAndWaitNotified(app: TestTamtam, from: string, text: string) {
  const before = (await alertRows(app)).length;
  const response = await app.send(from, text);
  if (response.status !== 202) throw new Error(`simulator answered ${response.status}`);
  return eventually(
    async () => {
      const rows = await alertRows(app);
      const row = rows[before];
      return row && row.status === 'notified' ? row : undefined;
    },
    { what: 'the alert to be notified' },
  );
}
