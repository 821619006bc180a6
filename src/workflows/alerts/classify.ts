import type { Job } from 'bullmq';
import type { PlaceMatch } from '../../domain/place.js';
import { getAlert, lockAlert, updateAlert, type AlertRow, type AlertStage } from '../../db/alerts.js';
import { getFocalPoint, learnFocalPointLanguage, type FocalPointRow } from '../../db/focal-points.js';
import type { DbOrTx } from '../../db/index.js';
import { severityOfTypes } from '../../domain/severity.js';
import type { WorkflowDeps } from '../deps.js';
import type { JobData } from '../queue/jobs.js';

/** What the classifier makes of a new alert: the change to write, its event and the place found. */
export interface ClassifiedStage extends AlertStage {
  place: PlaceMatch | null;
  /** The reporter's language, when this message is the first to tell it. */
  reporterLanguage: string | null;
}

/** Threat type, urgency, severity and place of a new alert (pure: nothing is written). */
export function classification(
  deps: Pick<WorkflowDeps, 'analyser' | 'deployment' | 'now'>,
  alert: Pick<AlertRow, 'text' | 'language'>,
  reporter: FocalPointRow | null,
): ClassifiedStage {
  const c = deps.analyser.classify(alert.text);
  const place = deps.analyser.findPlace(alert.text, { registeredPlaceId: reporter?.placeId ?? null });
  const severity = severityOfTypes(c.threatType, c.otherThreatTypes, c.urgency, deps.deployment.severity);
  return {
    set: {
      threatType: c.threatType,
      otherThreatTypes: c.otherThreatTypes,
      urgency: c.urgency,
      severity,
      confidence: c.confidence,
      evidence: c.evidence,
      placeId: place?.place.id ?? null,
      placeConfidence: place?.confidence ?? null,
      language: alert.language ?? c.language ?? reporter?.language ?? null,
      classifiedAt: deps.now(),
    },
    event: {
      type: 'classified',
      actor: 'system',
      data: {
        threatType: c.threatType,
        otherThreatTypes: c.otherThreatTypes,
        urgency: c.urgency,
        severity,
        confidence: c.confidence,
        evidence: c.evidence,
        language: c.language,
        place: place ? { id: place.place.id, name: place.place.name, confidence: place.confidence, matched: place.matched } : null,
      },
    },
    place,
    // Replies go out in the reporter's language: learn it from their first message.
    reporterLanguage: reporter && !reporter.language ? c.language : null,
  };
}

/** Records a reporter's language learnt from their message. */
export async function learnReporterLanguage(db: DbOrTx, reporter: FocalPointRow | null, stage: ClassifiedStage): Promise<void> {
  if (reporter && stage.reporterLanguage) await learnFocalPointLanguage(db, reporter.id, stage.reporterLanguage);
}

/** The classify job: used when the stages run one job each (retries, the reconciler). */
export async function classifyStep(job: Job<JobData<'classify'>>, deps: WorkflowDeps): Promise<string> {
  const { alertId } = job.data;
  const alert = await getAlert(deps.db, alertId);
  if (!alert) return 'alert gone';
  if (!alert.classifiedAt) {
    const reporter = alert.focalPointId ? await getFocalPoint(deps.db, alert.focalPointId) : null;
    const stage = classification(deps, alert, reporter);
    // Written once: a second job for the alert (a retry, the reconciler's) finds it classified.
    const written = await deps.db.transaction(async (tx) => {
      const locked = await lockAlert(tx, alertId);
      return locked && !locked.classifiedAt ? updateAlert(tx, alertId, stage.set, stage.event) : null;
    });
    // The reporter's language is learnt by the job that classified (the alert's own is recorded with it).
    if (written) await learnReporterLanguage(deps.db, reporter, stage);
  }
  await deps.queues.add('route', { alertId });
  return 'classified';
}
