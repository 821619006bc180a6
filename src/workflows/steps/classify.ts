import type { Job } from 'bullmq';
import type { PlaceMatch } from '../../classify/types.js';
import { getAlert, updateAlert, type AlertRow } from '../../db/alerts.js';
import { getFocalPoint, updateFocalPoint, type FocalPointRow } from '../../db/focal-points.js';
import type { DbOrTx } from '../../db/index.js';
import { severityOf } from '../../domain/severity.js';
import type { WorkflowDeps } from '../deps.js';
import type { JobData } from '../jobs.js';

/**
 * Threat type, urgency, severity and place of a new alert, written with its `classified` event.
 * Returns the updated row and the place found (the route stage needs it).
 */
export async function classifyAlert(
  db: DbOrTx,
  deps: Pick<WorkflowDeps, 'analyser' | 'deployment' | 'now'>,
  alert: AlertRow,
  reporter: FocalPointRow | null,
): Promise<{ alert: AlertRow; place: PlaceMatch | null }> {
  const c = deps.analyser.classify(alert.text);
  const place = deps.analyser.findPlace(alert.text, { registeredPlaceId: reporter?.placeId ?? null });
  const severity = severityOf(c.threatType, c.urgency, deps.deployment.severity);
  const language = alert.language ?? c.language ?? reporter?.language ?? null;
  const updated = await updateAlert(
    db,
    alert.id,
    {
      threatType: c.threatType,
      urgency: c.urgency,
      severity,
      confidence: c.confidence,
      evidence: c.evidence,
      placeId: place?.place.id ?? null,
      placeConfidence: place?.confidence ?? null,
      language,
      classifiedAt: deps.now(),
    },
    {
      type: 'classified',
      actor: 'system',
      data: {
        threatType: c.threatType,
        urgency: c.urgency,
        severity,
        confidence: c.confidence,
        evidence: c.evidence,
        language: c.language,
        place: place ? { id: place.place.id, name: place.place.name, confidence: place.confidence, matched: place.matched } : null,
      },
    },
  );
  // Replies go out in the reporter's language: learn it from their first message.
  if (reporter && !reporter.language && c.language) await updateFocalPoint(db, reporter.id, { language: c.language });
  return { alert: updated ?? alert, place };
}

/** The classify job: used when the stages run one job each (retries, the reconciler). */
export async function classifyStep(job: Job<JobData<'classify'>>, deps: WorkflowDeps): Promise<string> {
  const { alertId } = job.data;
  const alert = await getAlert(deps.db, alertId);
  if (!alert) return 'alert gone';
  if (!alert.classifiedAt) {
    const reporter = alert.focalPointId ? await getFocalPoint(deps.db, alert.focalPointId) : null;
    // A failed reporter-language update is retried with the job; the alert's own language is already recorded.
    await classifyAlert(deps.db, deps, alert, reporter);
  }
  await deps.queues.add('route', { alertId });
  return 'classified';
}
