import type { Job } from 'bullmq';
import type { Place } from '../../domain/place.js';
import { getAlert, lockAlert, updateAlert, type AlertStage } from '../../db/alerts.js';
import { getPlace, toPlace } from '../../db/places.js';
import { fieldOfficeFor } from '../../classify/routing.js';
import type { WorkflowDeps } from '../deps.js';
import { NoTriageOffice } from '../errors.js';
import type { JobData } from '../queue/jobs.js';

/** Picks the field office whose area covers the alert's place (nearest office, else triage/JOC); pure. */
export function routing(deps: Pick<WorkflowDeps, 'deployment' | 'now'>, place: Place | null): AlertStage {
  const route = fieldOfficeFor(place, deps.deployment.fieldOffices);
  // The deployment file must have a triage office, so this only happens with a broken deployment.
  if (!route) throw new NoTriageOffice(place?.id ?? null);
  return {
    set: { officeId: route.officeId, routedAt: deps.now() },
    event: { type: 'routed', actor: 'system', data: { office: route.officeId, reason: route.reason } },
  };
}

/** The route job: used when the stages run one job each (retries, the reconciler). */
export async function routeStep(job: Job<JobData<'route'>>, deps: WorkflowDeps): Promise<string> {
  const { alertId } = job.data;
  const alert = await getAlert(deps.db, alertId);
  if (!alert) return 'alert gone';
  if (!alert.routedAt) {
    const place = alert.placeId ? await getPlace(deps.db, alert.placeId) : null;
    const stage = routing(deps, place ? toPlace(place) : null);
    // Written once: a second job for the alert (a retry, the reconciler's) finds it routed.
    await deps.db.transaction(async (tx) => {
      const locked = await lockAlert(tx, alertId);
      if (locked && !locked.routedAt) await updateAlert(tx, alertId, stage.set, stage.event);
    });
  }
  await deps.queues.add('notify', { alertId });
  return 'routed';
}
