import type { Job } from 'bullmq';
import { lockAlert, recordEvent, updateAlert } from '../../db/alerts.js';
import { officeFor } from '../../db/offices.js';
import { escalationDeadline, nextEscalation } from '../../domain/escalation.js';
import type { Severity } from '../../domain/taxonomy.js';
import type { WorkflowDeps } from '../deps.js';
import { enqueueSends } from '../sending/pacing.js';
import { queueAlertCards } from '../sending/cards.js';
import type { JobData } from '../queue/jobs.js';
import { policyFor } from './policy.js';
import { escalationTimer, nobodyReached } from './notify.js';

/**
 * The acknowledge deadline passed. If the alert is still unacknowledged and this timer is the
 * current one, notify the next level and set the next deadline; otherwise do nothing.
 */
export async function escalateStep(job: Job<JobData<'escalate'>>, deps: WorkflowDeps): Promise<string> {
  const { alertId, seq } = job.data;
  const result = await deps.db.transaction(async (tx) => {
    const alert = await lockAlert(tx, alertId);
    if (!alert || alert.status !== 'notified' || alert.timerSeq !== seq || !alert.officeId) return null;
    const office = await officeFor(tx, deps.deployment, alert.officeId);
    if (!office) return null;
    const policy = policyFor(deps.deployment, office);
    const now = deps.now();
    const next = nextEscalation(policy, alert.escalationLevel);
    if (!next) {
      await updateAlert(
        tx,
        alertId,
        { ackDeadline: null },
        { type: 'escalation_exhausted', actor: 'system', data: { level: alert.escalationLevel } },
      );
      return { outbound: [], seq: null, delay: 0 };
    }
    const deadline = escalationDeadline(policy, (alert.severity ?? 'medium') as Severity, now);
    const minutes = Math.round((now.getTime() - (alert.notifiedAt ?? alert.createdAt).getTime()) / 60_000);
    const nextSeq = seq + 1;
    const updated = { ...alert, escalationLevel: next.level, timerSeq: nextSeq };
    const cards = await queueAlertCards(tx, deps, { alert: updated, office, targets: next.notify, level: next.level, escalatedMinutes: minutes });
    await updateAlert(
      tx,
      alertId,
      { escalationLevel: next.level, timerSeq: nextSeq, ackDeadline: deadline },
      {
        type: 'escalated',
        actor: 'system',
        data: {
          level: next.level,
          missedDeadline: alert.ackDeadline?.toISOString() ?? null,
          lateMs: alert.ackDeadline ? now.getTime() - alert.ackDeadline.getTime() : null,
          recipients: cards.recipients,
          unreachable: cards.unreachable,
          deadline: deadline.toISOString(),
        },
      },
    );
    const failed = nobodyReached(next.level, cards.recipients, cards.unreachable);
    if (failed) await recordEvent(tx, alertId, failed);
    return { outbound: cards.outbound, seq: nextSeq, delay: deadline.getTime() - now.getTime() };
  });
  if (!result) return 'nothing to do';
  if (result.seq === null) {
    await enqueueSends(deps, result.outbound);
    return 'exhausted';
  }
  await enqueueSends(deps, result.outbound, [escalationTimer(alertId, result.seq, result.delay)]);
  return 'escalated';
}
