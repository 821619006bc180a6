import { UnrecoverableError, type Job } from 'bullmq';
import type { Place } from '../../classify/types.js';
import { getAlert, updateAlert, type AlertRow } from '../../db/alerts.js';
import type { DbOrTx } from '../../db/index.js';
import { getPlace, toPlace } from '../../db/places.js';
import { fieldOfficeFor } from '../../classify/routing.js';
import type { WorkflowDeps } from '../deps.js';
import type { JobData } from '../jobs.js';

/** Picks the field office whose area covers the alert's place (nearest office, else triage/JOC), with its `routed` event. */
export async function routeAlert(db: DbOrTx, deps: Pick<WorkflowDeps, 'deployment' | 'now'>, alert: AlertRow, place: Place | null): Promise<AlertRow> {
  const route = fieldOfficeFor(place, deps.deployment.fieldOffices);
  // The deployment file must have a triage office, so this only happens with a broken deployment.
  if (!route) throw new UnrecoverableError(`alert ${alert.id}: no office can receive it (no triage office)`);
  const updated = await updateAlert(
    db,
    alert.id,
    { officeId: route.officeId, routedAt: deps.now() },
    { type: 'routed', actor: 'system', data: { office: route.officeId, reason: route.reason } },
  );
  return updated ?? alert;
}

/** The route job: used when the stages run one job each (retries, the reconciler). */
export async function routeStep(job: Job<JobData<'route'>>, deps: WorkflowDeps): Promise<string> {
  const { alertId } = job.data;
  const alert = await getAlert(deps.db, alertId);
  if (!alert) return 'alert gone';
  if (!alert.routedAt) {
    const place = alert.placeId ? await getPlace(deps.db, alert.placeId) : null;
    await routeAlert(deps.db, deps, alert, place ? toPlace(place) : null);
  }
  await deps.queues.add('notify', { alertId });
  return 'routed';
}
