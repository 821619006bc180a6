import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnAlert } from '../../src/workflows/officers/actions.js';
import { eventsOf, reportAndWaitNotified } from '../helpers/alerts.js';
import { startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

describe('the alert timeline', () => {
  let app: TestTamtam;
  beforeAll(async () => {
    app = await startTestTamtam({ backend: 'postgres' });
  });
  afterAll(async () => app?.stop());

  it('records every transition with its actor, and refuses UPDATE, DELETE and TRUNCATE', async () => {
    const alert = await reportAndWaitNotified(app, '+22376222222', 'Des hommes armés ont attaqué le village près de Mopti');
    expect((await actOnAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-traore', action: 'acknowledge' })).outcome).toBe('done');
    expect((await actOnAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-traore', action: 'responding' })).outcome).toBe('done');
    expect((await actOnAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-keita', action: 'resolve' })).outcome).toBe('done');

    const events = await eventsOf(app, alert.id);
    const transitions = events.filter((e) => e.toStatus !== null).map((e) => [e.fromStatus, e.toStatus, e.actor]);
    expect(transitions).toEqual([
      [null, 'new', expect.stringMatching(/^reporter:PF-[0-9A-F]{4}$/)],
      ['new', 'notified', 'system'],
      ['notified', 'acknowledged', 'officer:o-traore'],
      ['acknowledged', 'responding', 'officer:o-traore'],
      ['responding', 'resolved', 'officer:o-keita'],
    ]);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['classified', 'routed']));

    await expect(app.database.pool.query(`update alert_events set actor = 'someone else' where alert_id = $1`, [alert.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(app.database.pool.query(`delete from alert_events where alert_id = $1`, [alert.id])).rejects.toThrow(/append-only/);
    await expect(app.database.pool.query('truncate alert_events cascade')).rejects.toThrow(/append-only/);
    // Every row is still there, unchanged (messages sent since may have added rows after them).
    expect((await eventsOf(app, alert.id)).slice(0, events.length)).toEqual(events);
  });

  it('lets one of two officers acknowledging at once win; the other is told who was first', async () => {
    const alert = await reportAndWaitNotified(app, '+22376333333', 'Enlèvement à Mopti ce matin');
    const [a, b] = await Promise.all([
      actOnAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-diallo', action: 'acknowledge' }),
      actOnAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-traore', action: 'acknowledge' }),
    ]);
    const outcomes = [a.outcome, b.outcome].sort();
    expect(outcomes).toEqual(['done', 'too_late']);
    const loser = a.outcome === 'too_late' ? a : b;
    const winner = a.outcome === 'done' ? 'o-diallo' : 'o-traore';
    expect(loser.outcome === 'too_late' && loser.by?.id).toBe(winner);
    expect((await eventsOf(app, alert.id)).filter((e) => e.type === 'acknowledged')).toHaveLength(1);
  });

  it('refuses an officer of another office, and records the refusal', async () => {
    const alert = await reportAndWaitNotified(app, '+22376444444', 'Pillage de greniers à Mopti');
    const result = await actOnAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-maiga', action: 'acknowledge' });
    expect(result.outcome).toBe('not_allowed');
    const events = await eventsOf(app, alert.id);
    expect(events.filter((e) => e.type === 'action_refused')).toEqual([
      expect.objectContaining({ actor: 'officer:o-maiga', data: { action: 'acknowledge', reason: 'outside the alert office' } }),
    ]);
    expect(events.map((e) => e.toStatus)).not.toContain('acknowledged');
    // The JOC may act on any alert.
    expect((await actOnAlert(app.deps, { alert: { ref: alert.ref }, officerId: 'o-joc', action: 'acknowledge' })).outcome).toBe('done');
  });

  it("reads officers' SMS commands and answers them in their language", async () => {
    const alert = await reportAndWaitNotified(app, '+22376555555', 'Des déplacés arrivent à Mopti');
    const response = await app.send('+22370000001', `ok ${alert.ref.toLowerCase()}`);
    expect(response.status).toBe(202);
    const { eventually } = await import('../helpers/tamtam.js');
    const reply = await eventually(async () => (await app.outbox('+22370000001')).find((m) => m.purpose === 'reply'));
    expect(reply.text).toBe(`Alerte ${alert.ref} prise en charge. Merci.`);
    const [row] = (
      await app.deps.db.execute<{ status: string; acknowledged_by: string }>(sql`select status, acknowledged_by from alerts where id = ${alert.id}`)
    ).rows;
    expect(row).toEqual({ status: 'acknowledged', acknowledged_by: 'o-diallo' });
    // The officer's text did not become an alert of its own.
    const alerts = (await app.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from alerts where text ilike 'ok %'`)).rows[0]!;
    expect(alerts.n).toBe(0);
  });

  it('an officer who resolves by SMS is asked what was done, and records it by SMS', async () => {
    const alert = await reportAndWaitNotified(app, '+22376555556', 'Des hommes armés ont volé le bétail à Mopti');
    const { eventually } = await import('../helpers/tamtam.js');
    const replies = async () => (await app.outbox('+22370000001')).filter((m) => m.purpose === 'reply' && m.text.includes(alert.ref));
    await app.send('+22370000001', `FIN ${alert.ref}`);
    const asked = await eventually(async () => (await replies())[0]);
    expect(asked.text).toBe(`Alerte ${alert.ref} résolue. Merci. Qu'a-t-on fait ? FIN ${alert.ref} patrouille|dialogue|autorites|humanitaire|aucune`);
    await app.send('+22370000001', `FIN ${alert.ref} patrouille autorites`);
    const recorded = await eventually(async () => (await replies())[1]);
    expect(recorded.text).toBe(`Alerte ${alert.ref} : réponse enregistrée (Patrouille ou présence, Autorités alertées).`);
    const events = await eventsOf(app, alert.id);
    expect(events.filter((e) => e.type === 'outcome_recorded').map((e) => e.data)).toEqual([{ outcomes: ['patrol', 'authorities'] }]);
  });
});
