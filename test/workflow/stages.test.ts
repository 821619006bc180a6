import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { eventsOf, reportAndWaitNotified } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

// A new warning normally goes from message to officers' cards in one job and one transaction; when
// that first attempt fails, the retry creates the alert alone and classify, route and notify run
// as jobs of their own. Either way officers get the same card and the timeline reads the same.
describe.each(queueBackends)('the stages of a new warning on the %s queue backend', (backend) => {
  let app: TestTamtam;
  beforeAll(async () => {
    app = await startTestTamtam({ backend });
  });
  afterAll(async () => app?.stop());

  const timelineOf = async (alertId: number) => (await eventsOf(app, alertId)).map((e) => e.type).filter((t) => !t.endsWith('_sent'));

  it('reaches the officers in one go, with every stage on the timeline', async () => {
    const alert = await reportAndWaitNotified(app, '+22376100001', 'Des hommes armés ont encerclé Mopti ce matin');
    expect(await timelineOf(alert.id)).toEqual(['created', 'classified', 'routed', 'notified']);
    expect(alert).toMatchObject({ threatType: 'armed_group_presence', officeId: 'mopti', escalationLevel: 0 });
    // One transaction: the four events carry its one timestamp.
    const stages = (await eventsOf(app, alert.id)).filter((e) => ['created', 'classified', 'routed', 'notified'].includes(e.type));
    expect(new Set(stages.map((e) => e.at.getTime())).size).toBe(1);
    await eventually(async () => (await app.outbox('officer:o-diallo')).find((m) => m.purpose === 'card' && m.text.includes(alert.ref)), {
      what: 'the card',
    });
  });

  it('still makes one alert and notifies it when the first attempt fails half-way', async () => {
    const classify = app.deps.analyser.classify.bind(app.deps.analyser);
    let failures = 0;
    app.deps.analyser.classify = (text) => {
      if (failures++ === 0) throw new Error('classifier fault (test)');
      return classify(text);
    };
    try {
      const alert = await reportAndWaitNotified(app, '+22376100002', 'Des hommes armés ont encerclé Mopti hier soir');
      // The failed attempt left nothing behind: one alert, created once, classified once.
      const { rows } = await app.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from alerts where text like '%hier soir'`);
      expect(rows[0]!.n).toBe(1);
      expect(await timelineOf(alert.id)).toEqual(['created', 'classified', 'routed', 'notified']);
      expect(alert).toMatchObject({ threatType: 'armed_group_presence', officeId: 'mopti' });
      expect(failures).toBe(2);
      // Stage by stage, in transactions of their own.
      const stages = (await eventsOf(app, alert.id)).filter((e) => ['created', 'classified', 'routed', 'notified'].includes(e.type));
      expect(new Set(stages.map((e) => e.at.getTime())).size).toBeGreaterThan(1);
      const confirmations = (await app.outbox('+22376100002')).filter((m) => m.purpose === 'confirmation');
      expect(confirmations).toHaveLength(1);
    } finally {
      app.deps.analyser.classify = classify;
    }
  });
});
