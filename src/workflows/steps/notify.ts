import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { lockAlert, recordEvent, transitionAlert } from '../../db/alerts.js';
import { getOffice } from '../../db/offices.js';
import { escalationDeadline } from '../../domain/escalation.js';
import type { Severity } from '../../domain/taxonomy.js';
import type { WorkflowDeps } from '../deps.js';
import { enqueueSends, queueAlertCards } from '../dispatch.js';
import type { JobData } from '../jobs.js';
import { policyFor } from '../policy.js';

/**
 * Puts a routed alert in front of its office (escalation level 0), moves it to `notified` and
 * sets the acknowledge deadline and its timer.
 */
export async function notifyStep(job: Job<JobData<'notify'>>, deps: WorkflowDeps): Promise<string> {
  const { alertId } = job.data;
  const result = await deps.db.transaction(async (tx) => {
    const alert = await lockAlert(tx, alertId);
    if (!alert || alert.status !== 'new') return null; // already notified (a retry), or acted on
    if (!alert.officeId) throw new UnrecoverableError(`alert ${alertId} has no office: route it first`);
    const office = await getOffice(tx, alert.officeId);
    if (!office) throw new UnrecoverableError(`alert ${alertId}: office ${alert.officeId} not found`);
    const policy = policyFor(deps.deployment, office);
    const level = policy.levels[0]!;
    const now = deps.now();
    const deadline = escalationDeadline(policy, (alert.severity ?? 'medium') as Severity, now);
    const seq = alert.timerSeq + 1;
    const cards = await queueAlertCards(tx, deps, { alert: { ...alert, status: 'notified', timerSeq: seq }, office, targets: level.notify, level: 0 });
    await transitionAlert(
      tx,
      alertId,
      'notified',
      { type: 'notified', actor: 'system', data: { level: 0, office: office.id, recipients: cards.recipients, unreachable: cards.unreachable, deadline: deadline.toISOString() } },
      { notifiedAt: now, ackDeadline: deadline, timerSeq: seq, escalationLevel: 0 },
      alert,
    );
    if (cards.recipients.length === 0) {
      await recordEvent(tx, alertId, { type: 'notification_failed', actor: 'system', data: { level: 0, reason: 'nobody to notify at this level' } });
    }
    return { outbound: cards.outbound, seq, delay: deadline.getTime() - now.getTime() };
  });
  if (!result) return 'already notified';
  await enqueueSends(deps, result.outbound);
  await deps.queues.add('escalate', { alertId, seq: result.seq }, { delay: result.delay });
  return 'notified';
}
