import type { Job } from 'bullmq';
import { getAlert, updateAlert } from '../../db/alerts.js';
import { getFocalPoint, updateFocalPoint } from '../../db/focal-points.js';
import { severityOf } from '../../domain/severity.js';
import type { WorkflowDeps } from '../deps.js';
import type { JobData } from '../jobs.js';

/** Threat type, urgency, severity and place of a new alert. */
export async function classifyStep(job: Job<JobData<'classify'>>, deps: WorkflowDeps): Promise<string> {
  const { alertId } = job.data;
  const alert = await getAlert(deps.db, alertId);
  if (!alert) return 'alert gone';
  if (!alert.classifiedAt) {
    const reporter = alert.focalPointId ? await getFocalPoint(deps.db, alert.focalPointId) : null;
    const c = deps.analyser.classify(alert.text);
    const place = deps.analyser.findPlace(alert.text, { registeredPlaceId: reporter?.placeId ?? null });
    const severity = severityOf(c.threatType, c.urgency, deps.deployment.severity);
    const language = alert.language ?? c.language ?? reporter?.language ?? null;
    await updateAlert(
        deps.db,
        alertId,
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
    // Replies go out in the reporter's language: learn it from their first message (a later
    // retry does it if this fails; the alert's own language is already recorded).
    if (reporter && !reporter.language && c.language) await updateFocalPoint(deps.db, reporter.id, { language: c.language });
  }
  await deps.queues.add('route', { alertId });
  return 'classified';
}
