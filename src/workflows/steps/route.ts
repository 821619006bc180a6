import { UnrecoverableError, type Job } from 'bullmq';
import { getAlert, updateAlert } from '../../db/alerts.js';
import { getPlace, toPlace } from '../../db/places.js';
import { fieldOfficeFor } from '../../classify/routing.js';
import type { WorkflowDeps } from '../deps.js';
import type { JobData } from '../jobs.js';

/** Picks the field office whose area covers the alert's place (nearest office, else triage/JOC). */
export async function routeStep(job: Job<JobData<'route'>>, deps: WorkflowDeps): Promise<string> {
  const { alertId } = job.data;
  const alert = await getAlert(deps.db, alertId);
  if (!alert) return 'alert gone';
  if (!alert.routedAt) {
    const place = alert.placeId ? await getPlace(deps.db, alert.placeId) : null;
    const route = fieldOfficeFor(place ? toPlace(place) : null, deps.deployment.fieldOffices);
    // The deployment file must have a triage office, so this only happens with a broken deployment.
    if (!route) throw new UnrecoverableError(`alert ${alertId}: no office can receive it (no triage office)`);
    await updateAlert(
      deps.db,
      alertId,
      { officeId: route.officeId, routedAt: deps.now() },
      { type: 'routed', actor: 'system', data: { office: route.officeId, reason: route.reason } },
    );
  }
  await deps.queues.add('notify', { alertId });
  return 'routed';
}
