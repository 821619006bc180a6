import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderEnv } from '../fakes/env.js';
import { postTelegramUpdate, telegramTextUpdate } from '../fakes/sign.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { alertRows, eventsOf } from '../helpers/alerts.js';
import { adminToken, eventually, freePort, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';
import { loginLink } from './browser.js';

const secret = 'telegram-webhook-secret-hostile-web';
const diallo = 565656;
const deployment = testDeployment({ ackTimeout: '1h' }).replace(
  'role: officer, phone: "+22370000001"',
  `role: officer, telegramId: ${diallo}, phone: "+22370000001"`,
);

/**
 * What a crafted link, a mangled cookie or a pasted control character does to the operations room
 * and the report API: a page or a 4xx with a reason, never a 5xx, and nothing half-written.
 */
describe('bad input to the operations room and the report API', () => {
  let telegram: FakeTelegram;
  let app: TestTamtam;
  let ref: string;
  let cookie: string;
  let csrf: string;
  const logLines: string[] = [];
  const post = (update: Update) => postTelegramUpdate(app.url!, secret, update);
  const page = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, { headers: { cookie, ...headers }, redirect: 'manual' });
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
      body: new URLSearchParams(fields).toString(),
    });

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    const port = await freePort();
    const env = { ...fakeProviderEnv({ telegram, webhookSecret: secret }), PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` };
    app = await startTestTamtam({ backend: 'postgres', deployment, env, logLines });
    await post(telegramTextUpdate({ text: 'Hommes armés à moto près de Mopti, ils menacent le village', fromId: 700000401 }));
    ref = (await eventually(async () => (await alertRows(app)).find((a) => a.status === 'notified'), { what: 'the alert' })).ref;
    const signedIn = await fetch(await loginLink(telegram, post, diallo), { method: 'POST', redirect: 'manual' });
    cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    csrf = (await (await page(`/alerts/${ref}`)).text()).match(/name="_csrf" value="([\w-]+)"/)![1]!;
  });
  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
  });

  it('a report period in year 0000 is refused with its reason (400), in the API and the CSV export', async () => {
    for (const path of [
      '/api/reports/response?from=0000-01-01&to=0000-02-01',
      '/api/reports/seasonal?from=0000-01-01&to=0001-01-01',
      '/api/exports/alerts.csv?from=0000-12-01&to=0001-01-01',
    ]) {
      const response = await app.api(path);
      expect(response.status, path).toBe(400);
      expect(await response.text(), path).toContain('is not a date of the calendar');
    }
    // The pages fall back to this month.
    expect((await page('/report?from=0000-01-01&to=0000-02-01')).status).toBe(200);
    expect((await page('/seasonal?from=0000-01-01&to=0001-01-01')).status).toBe(200);
  });

  it('a session cookie Tamtam never set (a broken %-escape) is no session: the sign-in page, not an error', async () => {
    const response = await page('/', { cookie: 'tamtam_session=%E0%A4%A' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/signin?next=%2F');
    expect(
      (await fetch(`${app.url}/api/reports/response?from=2026-11-01&to=2026-12-01`, { headers: { cookie: 'tamtam_session=%E0%A4%A' } })).status,
    ).toBe(401);
  });

  it('a language that is not a page language ("constructor") changes nothing', async () => {
    expect((await form('/language', { _csrf: csrf, lang: 'constructor', back: `/alerts/${ref}` })).status).toBe(303);
    const alertPage = await page(`/alerts/${ref}`);
    expect(alertPage.status).toBe(200);
    expect(await alertPage.text()).toContain('<html lang="fr"');
    expect((await page(`/alerts/${ref}?done=constructor`)).status).toBe(200);
    expect((await page('/seasonal')).status).toBe(200);
  });

  it('a way back that a Location header cannot hold leads to the board', async () => {
    for (const back of ['/€', '/x\r\nset-cookie: a=b', '/\u0000']) {
      const response = await form('/language', { _csrf: csrf, lang: 'en', back });
      expect(response.status, JSON.stringify(back)).toBe(303);
      expect(response.headers.get('location')).toBe('/');
    }
    const signIn = await form('/signin', { token: adminToken, next: '/tableau-de-bord-é' }, { cookie: '' });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/');
    expect(signIn.headers.get('set-cookie')).toMatch(/^tamtam_session=/);
    await form('/language', { _csrf: csrf, lang: 'fr', back: '/' });
  });

  it('a NUL pasted into a note or a reply is dropped, and the note is kept', async () => {
    const response = await form(`/alerts/${ref}/note`, { _csrf: csrf, text: 'patrouille\u0000 envoyée' });
    expect(response.status).toBe(303);
    const alert = (await alertRows(app)).find((a) => a.ref === ref)!;
    const notes = (await eventsOf(app, alert.id)).filter((e) => e.type === 'note_added');
    expect(notes.map((e) => (e.data as { note?: string }).note)).toContain('patrouille envoyée');
  });

  it('a NUL or a stray byte in a link’s path or query is a 4xx or a page, never a 5xx', async () => {
    const pages = [
      '/?office=%00&type=%00&status=%00',
      '/board/rows?office=%00',
      '/alerts/%00',
      '/alerts/ML%00-1/live',
      '/map?days=%00',
      '/report?office=%00&from=%00',
    ];
    for (const path of [...pages, `/alerts/${ref}?done=%00`, '/signin?next=%00', '/login/%00', '/seasonal?group=%00']) {
      const status = (await page(path)).status;
      expect(status, path).toBeLessThan(500);
    }
    for (const path of [
      '/api/alerts?office=%00&status=%00&since=%00',
      '/api/alerts/%00',
      '/api/alerts/%E0%A4%A',
      '/api/reports/response?from=2026-11-01&to=2026-12-01&office=%00',
      '/api/inbound/unprocessable?limit=%00',
    ]) {
      const status = (await app.api(path)).status;
      expect(status, path).toBeLessThan(500);
    }
    expect((await form('/login/%00', {})).status).toBeLessThan(500);
  });

  it('a reply longer than the form allows, posted anyway, is refused with 422 and its reason, and not sent', async () => {
    const response = await form(`/alerts/${ref}/reply`, { _csrf: csrf, text: 'Restez chez vous.'.repeat(40) });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('Non envoyé : votre réponse a 680 caractères, au plus 600 parviennent au rapporteur');
    const alert = (await alertRows(app)).find((a) => a.ref === ref)!;
    expect((await eventsOf(app, alert.id)).map((e) => e.type)).not.toContain('reply_bridged');
  });

  it('a form refused for coming from another site logs the route, never a sign-in link’s token', async () => {
    const link = await loginLink(telegram, post, diallo);
    const token = link.split('/login/')[1]!;
    const refused = await fetch(link, { method: 'POST', redirect: 'manual', headers: { origin: 'https://elsewhere.example' } });
    expect(refused.status).toBe(403);
    const line = logLines.find((l) => l.includes('refused a form from another site'));
    expect(line).toContain('/login/:token');
    expect(logLines.join('\n')).not.toContain(token);
    // The refusal did not use the link up.
    expect((await fetch(link, { method: 'POST', redirect: 'manual' })).status).toBe(303);
  });
});
