import { afterEach, describe, expect, it } from 'vitest';
import { actOnAlert } from '../../src/workflows/officers/actions.js';
import { alertRows, eventsOf, reportAndWaitNotified } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

const reporter = '+22376111111';
const warning = 'Hommes armés à Mopti, ils tirent sur le village';

describe.each(queueBackends)('escalation on the %s queue backend', (backend) => {
  let app: TestTamtam;
  afterEach(async () => app?.stop());

  it('an unacknowledged alert climbs every level at its deadlines and stops at the end', async () => {
    app = await startTestTamtam({
      backend,
      deployment: testDeployment({ ackTimeout: '2s', repeatLast: 1 }),
      start: { workers: { reconcile: { everyMs: 1_000 } } },
    });
    const alert = await reportAndWaitNotified(app, reporter, warning);
    expect(alert.officeId).toBe('mopti');

    // Levels: officers (0) → supervisors (1) → JOC (2) → JOC again (3, repeatLast 1) → stop.
    const exhausted = await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'escalation_exhausted'), {
      timeout: 20_000,
      what: 'escalation to run out',
    });
    const events = await eventsOf(app, alert.id);
    const escalations = events.filter((e) => e.type === 'escalated');
    expect(escalations.map((e) => e.data.level)).toEqual([1, 2, 3]);
    expect(escalations.map((e) => e.data.recipients)).toEqual([['officer:o-keita'], ['officer:o-joc'], ['officer:o-joc']]);
    // Each escalation happens at its deadline: not early, at most a second late.
    for (const e of escalations) {
      expect(e.data.lateMs as number).toBeGreaterThanOrEqual(0);
      expect(e.data.lateMs as number).toBeLessThan(1_000);
    }
    expect(exhausted.data.level).toBe(3);

    // What people received: the card at level 0, escalation pings after.
    const outbox = await eventually(
      async () => {
        const all = await app.outbox();
        return all.filter((m) => m.alertId === alert.id && m.purpose !== 'confirmation').length === 5 ? all : undefined;
      },
      { what: 'all notifications to be sent' },
    );
    const received = (to: string) => outbox.filter((m) => m.to === to && m.alertId === alert.id && m.purpose !== 'confirmation');
    expect(received('officer:o-diallo').map((m) => m.purpose)).toEqual(['card']);
    expect(received('officer:o-traore').map((m) => m.purpose)).toEqual(['card']);
    expect(received('officer:o-keita').map((m) => m.purpose)).toEqual(['escalation']);
    expect(received('officer:o-joc').map((m) => m.purpose)).toEqual(['escalation', 'escalation']);
    expect(received('officer:o-maiga')).toEqual([]); // another office
    expect(received('officer:o-keita')[0]!.text).toMatch(/Escalade niveau 1/);

    // Nothing more happens after the last level.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'escalated')).toHaveLength(3);
    const [row] = await alertRows(app);
    expect(row!.ackDeadline).toBeNull();

    // "Escalate now" then says there is no one further, instead of that it escalated.
    const pressed = await actOnAlert(app.deps, { alert: { id: alert.id }, officerId: 'o-diallo', action: 'escalate' });
    expect(pressed.outcome).toBe('no_further_level');
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'escalation_requested')).toEqual([]);
  });

  it('an acknowledged alert never escalates, and a timer firing after the acknowledgement changes nothing', async () => {
    app = await startTestTamtam({ backend, deployment: testDeployment({ ackTimeout: '2s' }) });
    const alert = await reportAndWaitNotified(app, reporter, warning);
    const result = await actOnAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-diallo', action: 'acknowledge' });
    expect(result.outcome).toBe('done');

    // A stale timer for the old deadline fires anyway (e.g. the removal raced): nothing changes.
    await app.deps.queues.add('escalate', { alertId: alert.id, seq: alert.timerSeq });
    await new Promise((r) => setTimeout(r, 3_500));
    const events = await eventsOf(app, alert.id);
    expect(events.map((e) => e.type)).not.toContain('escalated');
    const [row] = await alertRows(app);
    expect(row!.status).toBe('acknowledged');
    expect(row!.escalationLevel).toBe(0);
    expect(row!.acknowledgedBy).toBe('o-diallo');
    expect((await app.outbox('officer:o-keita')).length).toBe(0);
  });

  it('escalates on time after the queue data is wiped, from PostgreSQL alone', async () => {
    app = await startTestTamtam({
      backend,
      deployment: testDeployment({ ackTimeout: '3s', repeatLast: 0 }),
      start: { workers: { reconcile: { everyMs: 1_000 } } },
    });
    const alert = await reportAndWaitNotified(app, reporter, warning);
    await app.wipeQueues();
    const escalated = await eventually(async () => (await eventsOf(app, alert.id)).find((e) => e.type === 'escalated'), {
      timeout: 15_000,
      what: 'the escalation after the wipe',
    });
    // Within one reconciler period (1 s here) of the deadline.
    expect(escalated.data.lateMs as number).toBeLessThan(1_000 + 500);
    expect(escalated.data.recipients).toEqual(['officer:o-keita']);
  });
});
