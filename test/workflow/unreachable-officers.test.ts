import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTelegramUpdate, telegramTextUpdate } from '../fakes/sign.js';
import type { FakeTelegram } from '../fakes/telegram-api.js';
import { startWithFakeTelegram } from '../helpers/providers.js';
import { alertRows, eventsOf } from '../helpers/alerts.js';
import { eventually, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

const secret = 'telegram-webhook-secret-unreachable';
const diallo = 515151;
/** Telegram on, Twilio off: only A. Diallo can be reached; F. Traoré and the supervisor have no Telegram id. */
const deployment = testDeployment({ ackTimeout: '2s' }).replace(
  'role: officer, phone: "+22370000001"',
  `role: officer, telegramId: ${diallo}, phone: "+22370000001"`,
);

/**
 * With a real channel on, an officer Tamtam has no address for on it is unreachable: recorded as
 * such, and a level at which nobody can be reached is a notification_failed on the timeline. Their
 * card never goes to the simulator's outbox, which no one reads in production.
 */
describe('officers who cannot be reached, with Telegram on', () => {
  let telegram: FakeTelegram;
  let app: TestTamtam;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ app, telegram, stop } = await startWithFakeTelegram({ deployment, secret }));
  });
  afterAll(() => stop?.());

  it('records who could not be reached, says when nobody at a level could, and sends nothing to the simulator', async () => {
    await postTelegramUpdate(app.url!, secret, telegramTextUpdate({ text: 'Hommes armés près de Mopti, ils tirent', fromId: 700000901 }));
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.status === 'notified'), { what: 'the alert' });
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === diallo && String(p.text).includes(alert.ref));
    // Level 1 (the supervisor, no Telegram id) at the 2 s deadline.
    const events = await eventually(
      async () => {
        const all = await eventsOf(app, alert.id);
        return all.some((e) => e.type === 'notification_failed') ? all : undefined;
      },
      { what: 'the failed level' },
    );
    expect(events.find((e) => e.type === 'notified')?.data).toMatchObject({ unreachable: ['officer:o-traore'] });
    expect(events.find((e) => e.type === 'escalated')?.data).toMatchObject({ level: 1, unreachable: ['officer:o-keita'] });
    expect(events.find((e) => e.type === 'notification_failed')?.data).toEqual({
      level: 1,
      reason: 'nobody reachable at this level',
      unreachable: ['officer:o-keita'],
    });
    const { rows } = await app.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from outbound_messages where channel = 'simulator'`);
    expect(rows[0]!.n).toBe(0);
  });
});
