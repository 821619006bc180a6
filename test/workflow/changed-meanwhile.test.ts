import type { Job } from 'bullmq';
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { lockAlert, transitionAlert, updateAlert, type AlertRow } from '../../src/db/alerts.js';
import type { Tx } from '../../src/db/index.js';
import { actOnAlert } from '../../src/workflows/officers/actions.js';
import { classifyStep } from '../../src/workflows/alerts/classify.js';
import { routeStep } from '../../src/workflows/alerts/route.js';
import { getOfficer, type OfficerRow } from '../../src/db/offices.js';
import { threatTypes, type ThreatType } from '../../src/domain/taxonomy.js';
import { pressButton } from '../../src/workflows/officers/telegram/buttons.js';
import { alerts, inboundMessages } from '../../src/db/schema/index.js';
import { alertRows, eventsOf, reportAndWaitNotified } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

/**
 * A reporter's message chosen as a follow-up of their open alert, or a warning chosen to join
 * another reporter's open alert, while an officer closes that alert: the message must not be
 * recorded on the closed alert (where no one would act on it); decided again, it opens an alert.
 * An officer's action is decided on the alert as it is once locked: moved to another office, or
 * acknowledged by someone else, meanwhile.
 */
describe.each(queueBackends)('an alert changed while a message or an action waits for it, on the %s backend', (backend) => {
  let app: TestTamtam | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  /**
   * Holds the alert's row lock, starts `act`, waits until it waits for the lock (or for the
   * key-share lock that writing a message's alert_id takes on it), then makes `change` in the held
   * transaction and commits; resolves with what `act` returned.
   */
  async function whileItWaits<T>(t: TestTamtam, alertId: number, act: () => Promise<T>, change: (tx: Tx, locked: AlertRow) => Promise<unknown>) {
    let acting: Promise<T> | undefined;
    await t.deps.db.transaction(async (tx) => {
      const locked = await lockAlert(tx, alertId);
      acting = act();
      await eventually(
        async () => {
          const { rows } = await t.deps.db.execute<{ n: number }>(
            sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
          );
          return rows[0]!.n > 0 ? true : undefined;
        },
        { what: 'a worker waiting for the alert', timeout: 5_000 },
      );
      await change(tx, locked!);
    });
    return acting!;
  }

  /** An officer's FIN, made while the message's worker waits (status and event together). */
  const resolveWhileAWorkerWaits = (t: TestTamtam, alertId: number, send: () => Promise<unknown>) =>
    whileItWaits(t, alertId, send, (tx, locked) =>
      transitionAlert(tx, alertId, 'resolved', { type: 'resolved', actor: 'officer:o-diallo' }, { closedAt: new Date() }, locked),
    );

  it('a follow-up of an alert resolved meanwhile becomes an alert of its own', async () => {
    const t = (app = await startTestTamtam({ backend, deployment: testDeployment({ ackTimeout: '1h' }) }));
    const first = await reportAndWaitNotified(t, '+22376950001', 'Hommes armés à moto près de Mopti');
    await resolveWhileAWorkerWaits(t, first.id, () => t.send('+22376950001', 'ils sont toujours là, une vingtaine'));
    const second = await eventually(async () => (await alertRows(t)).find((a) => a.id !== first.id && a.text.includes('toujours là')), {
      what: 'an alert of its own',
    });
    expect(second.status).not.toBe('resolved');
    expect((await eventsOf(t, first.id)).map((e) => e.type)).not.toContain('reporter_message');
    const [message] = await t.deps.db.select().from(inboundMessages).where(eq(inboundMessages.alertId, second.id));
    expect(message?.outcome).toBe('alert');
  });

  it('a warning from another reporter about an incident whose alert was resolved meanwhile opens an alert', async () => {
    const t = (app = await startTestTamtam({ backend, deployment: testDeployment({ ackTimeout: '1h', groupIncidents: true }) }));
    const first = await reportAndWaitNotified(t, '+22376950011', 'Des hommes armés attaquent le marché de Mopti');
    await resolveWhileAWorkerWaits(t, first.id, () => t.send('+22376950012', 'Attaque au marché de Mopti, des hommes armés tirent'));
    const second = await eventually(async () => (await alertRows(t)).find((a) => a.id !== first.id), { what: 'an alert of its own' });
    expect((await eventsOf(t, first.id)).map((e) => e.type)).not.toContain('report_added');
    const grouped = await t.deps.db
      .select()
      .from(inboundMessages)
      .where(and(eq(inboundMessages.alertId, first.id), eq(inboundMessages.outcome, 'corroboration')));
    expect(grouped).toEqual([]);
    expect((await t.deps.db.select().from(alerts).where(eq(alerts.id, second.id)))[0]!.status).not.toBe('resolved');
  });

  it('an officer acting on an alert moved meanwhile to another office is refused, and the alert stays unacknowledged in its new office', async () => {
    const t = (app = await startTestTamtam({ backend, deployment: testDeployment({ ackTimeout: '1h' }) }));
    const alert = await reportAndWaitNotified(t, '+22376950021', 'Hommes armés près de Mopti');
    const result = await whileItWaits(
      t,
      alert.id,
      () => actOnAlert(t.deps, { alert: { id: alert.id }, officerId: 'o-diallo', action: 'acknowledge' }),
      (tx) => updateAlert(tx, alert.id, { officeId: 'gao' }, { type: 'rerouted', actor: 'officer:o-joc', data: { from: 'mopti', to: 'gao' } }),
    );
    expect(result.outcome).toBe('not_allowed');
    const [now] = await t.deps.db.select().from(alerts).where(eq(alerts.id, alert.id));
    expect(now).toMatchObject({ status: 'notified', officeId: 'gao', acknowledgedAt: null });
    expect((await eventsOf(t, alert.id)).map((e) => e.type)).toContain('action_refused');
  });

  it('an officer resolving an alert another acknowledged meanwhile leaves the acknowledgement to the first', async () => {
    const t = (app = await startTestTamtam({ backend, deployment: testDeployment({ ackTimeout: '1h' }) }));
    const alert = await reportAndWaitNotified(t, '+22376950031', 'Hommes armés près de Mopti');
    const acknowledgedAt = new Date();
    const result = await whileItWaits(
      t,
      alert.id,
      () => actOnAlert(t.deps, { alert: { id: alert.id }, officerId: 'o-traore', action: 'resolve' }),
      (tx, locked) =>
        transitionAlert(
          tx,
          alert.id,
          'acknowledged',
          { type: 'acknowledged', actor: 'officer:o-diallo' },
          { acknowledgedAt, acknowledgedBy: 'o-diallo', ackDeadline: null },
          locked,
        ),
    );
    expect(result.outcome).toBe('done');
    const [now] = await t.deps.db.select().from(alerts).where(eq(alerts.id, alert.id));
    expect(now).toMatchObject({ status: 'resolved', acknowledgedBy: 'o-diallo', acknowledgedAt });
  });

  it('two jobs classifying and routing one alert at once write each stage once', async () => {
    const t = (app = await startTestTamtam({ backend, deployment: testDeployment({ ackTimeout: '1h' }) }));
    const { rows } = await t.deps.db.execute<{ id: number }>(
      sql`insert into alerts (ref, text, channel) values ('TWICE', 'Hommes armés près de Mopti', 'simulator') returning id`,
    );
    const job = { data: { alertId: rows[0]!.id } } as Job<{ alertId: number }>;
    await Promise.all([classifyStep(job, t.deps), classifyStep(job, t.deps)]);
    await Promise.all([routeStep(job, t.deps), routeStep(job, t.deps)]);
    const types = (await eventsOf(t, rows[0]!.id)).map((e) => e.type);
    expect(types.filter((type) => type === 'classified')).toHaveLength(1);
    expect(types.filter((type) => type === 'routed')).toHaveLength(1);
  });

  it('two officers ticking two other types on the correction keyboard at once: both are kept', async () => {
    const t = (app = await startTestTamtam({ backend, deployment: testDeployment({ ackTimeout: '1h' }) }));
    const alert = await reportAndWaitNotified(t, '+22376950041', 'Hommes armés près de Mopti');
    const [diallo, traore] = [(await getOfficer(t.deps.db, 'o-diallo'))!, (await getOfficer(t.deps.db, 'o-traore'))!];
    const tick = (officer: OfficerRow, type: ThreatType) => pressButton({ deps: t.deps, officer }, `fix:a:${threatTypes.indexOf(type)}:${alert.ref}`);
    await Promise.all([tick(diallo, 'looting_destruction'), tick(traore, 'displacement')]);
    const [now] = await t.deps.db.select().from(alerts).where(eq(alerts.id, alert.id));
    expect([...now!.otherThreatTypes].sort()).toEqual(['displacement', 'looting_destruction']);
  });
});
