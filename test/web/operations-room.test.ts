import type { Browser, Page } from 'playwright-core';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramTextUpdate, postTelegramUpdate } from '../fakes/sign.js';
import type { FakeTelegram } from '../fakes/telegram-api.js';
import { alertRows, eventsOf } from '../helpers/alerts.js';
import { eventually, testDeployment, type TestTamtam } from '../helpers/tamtam.js';
import { createLoginLink, loginLinkLifetimeMs, useLoginLink } from '../../src/db/sessions.js';
import {
  contentWidth,
  newContext,
  screenshot,
  seriousViolations,
  loginLink,
  signInWith,
  startOperationsRoom,
  stopOperationsRoom,
} from './browser.js';

const secret = 'telegram-webhook-secret-web';
const [diallo, maiga] = [111111, 444444];
const reporter = 700000201;
const deployment = testDeployment({ ackTimeout: '1h' })
  .replace('role: officer, phone: "+22370000001"', `role: officer, telegramId: ${diallo}, phone: "+22370000001"`)
  .replace('o-maiga, name: H. Maïga, office: gao, role: officer,', `o-maiga, name: H. Maïga, office: gao, role: officer, telegramId: ${maiga},`);

describe('the operations room in a browser (chromium, fake Bot API)', () => {
  let telegram: FakeTelegram;
  let app: TestTamtam;
  let browser: Browser;
  const post = (update: Update) => postTelegramUpdate(app.url!, secret, update);

  const signIn = async (telegramId: number, size: 'wide' | 'phone' = 'wide') =>
    signInWith(browser, await loginLink(telegram, post, telegramId), app.url!, size);

  beforeAll(async () => {
    ({ telegram, app, browser } = await startOperationsRoom(deployment, secret));
  });
  afterAll(() => stopOperationsRoom({ telegram, app, browser }));

  it('signs an officer in with the link the bot sent after /login, and refuses the same link again', async () => {
    const link = await loginLink(telegram, post, diallo);
    expect(link.startsWith(`${app.url}/login/`)).toBe(true);
    const page = await (await newContext(browser, 'wide')).newPage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The officer's own language (French) once signed in.
    await expect.poll(() => page.getByRole('heading', { name: 'Alertes ouvertes' }).isVisible()).toBe(true);
    expect((await page.context().cookies())[0]).toMatchObject({ name: 'tamtam_session', httpOnly: true, sameSite: 'Lax' });

    const again = await (await newContext(browser, 'wide')).newPage();
    await again.goto(link);
    const [response] = await Promise.all([
      again.waitForResponse((r) => r.request().method() === 'POST'),
      again.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(response.status()).toBe(410);
    await expect.poll(() => again.getByRole('heading', { name: 'This sign-in link has already been used' }).isVisible()).toBe(true);
    expect(await again.getByText('send /login to the Tamtam bot').isVisible()).toBe(true);
    await screenshot(again, 'link-used-wide');
    await again.goto(`${app.url}/`);
    expect(again.url()).toContain('/signin');
  });

  it('refuses a link older than 10 minutes (only its hash is stored)', async () => {
    const now = new Date();
    const token = await createLoginLink(app.deps.db, 'o-diallo', now);
    expect(await useLoginLink(app.deps.db, token, new Date(now.getTime() + loginLinkLifetimeMs + 1000))).toEqual({ refused: 'expired' });
    const { rows } = await app.database.pool.query('select token_hash from login_links');
    expect(rows.map((r: { token_hash: string }) => r.token_hash)).not.toContain(token);
  });

  let ref: string;
  let officerPage: Page;

  it('shows a warning sent to the webhook on the board within 5 seconds, without a reload', async () => {
    officerPage = await signIn(diallo);
    let navigations = 0;
    officerPage.on('framenavigated', () => navigations++);
    await post(telegramTextUpdate({ text: 'Hommes armés à moto près de Mopti, ils menacent le village', fromId: reporter }));
    const alert = await eventually(async () => (await alertRows(app)).find((a) => a.status === 'notified'), { what: 'the alert' });
    ref = alert.ref;
    const shown = Date.now();
    await officerPage.getByRole('link', { name: ref }).waitFor({ timeout: 5_000 });
    expect(Date.now() - shown).toBeLessThan(5_000);
    expect(navigations).toBe(0);
    expect(await officerPage.getByRole('row', { name: new RegExp(ref) }).textContent()).toContain('Mopti Field Office');
    expect(await seriousViolations(officerPage)).toEqual([]);
    await screenshot(officerPage, 'board-wide');
  });

  it('keeps the filters in the query string, switches language, and gives no link in a group chat', async () => {
    const page = await signIn(diallo);
    await page.getByRole('combobox', { name: 'Type de menace' }).selectOption({ label: 'Enlèvement' });
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.waitForURL(/type=abduction/);
    expect(await page.getByRole('link', { name: ref }).count()).toBe(0);
    await page.reload();
    expect(await page.getByRole('combobox', { name: 'Type de menace' }).inputValue()).toBe('abduction');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Open alerts' }).waitFor();
    expect(page.url()).toContain('type=abduction');

    const before = telegram.callsOf('sendMessage').length;
    await post(telegramTextUpdate({ text: '/login', fromId: diallo, chatId: -100777 }));
    const answer = await eventually(async () =>
      telegram
        .callsOf('sendMessage')
        .slice(before)
        .find((c) => c.params.chat_id === -100777),
    );
    expect(String(answer.params.text)).toContain('conversation privée');
    expect(String(answer.params.text)).not.toContain('/login/');
  });

  it('lets no officer of another office see or act on the alert (404, 403, nothing changed)', async () => {
    const page = await signIn(maiga);
    expect(await page.getByRole('link', { name: ref }).count()).toBe(0);
    const seen = await page.goto(`${app.url}/alerts/${ref}`);
    expect(seen?.status()).toBe(404);
    await page.goto(`${app.url}/`);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const before = await eventsOf(app, (await alertRows(app)).find((a) => a.ref === ref)!.id);
    const acted = await page.request.post(`${app.url}/alerts/${ref}/acknowledge`, { form: { _csrf: csrf } });
    expect(acted.status()).toBe(403);
    const after = (await alertRows(app)).find((a) => a.ref === ref)!;
    expect(after.status).toBe('notified');
    expect(await eventsOf(app, after.id)).toHaveLength(before.length);
    // A form without the session's CSRF token changes nothing either, even in the right office.
    expect((await officerPage.request.post(`${app.url}/alerts/${ref}/acknowledge`, { form: { _csrf: 'forged' } })).status()).toBe(403);
    expect((await alertRows(app)).find((a) => a.ref === ref)!.status).toBe('notified');
  });

  it('acknowledging on the web edits the officer’s Telegram card, and the timeline names the officer', async () => {
    await officerPage.getByRole('link', { name: ref }).click();
    await officerPage.getByRole('heading', { name: `Alerte ${ref}` }).waitFor();
    expect(
      await officerPage
        .getByText(/PF-[0-9A-F]{4}/)
        .first()
        .isVisible(),
    ).toBe(true);
    expect(await officerPage.content()).not.toContain(String(reporter));
    expect(await seriousViolations(officerPage)).toEqual([]);
    await officerPage.getByRole('button', { name: 'Prendre en charge' }).click();
    await officerPage.getByRole('status').filter({ hasText: 'prise en charge' }).waitFor();
    const timeline = officerPage.getByRole('region', { name: 'Chronologie' });
    expect(await timeline.getByRole('listitem').filter({ hasText: 'Prise en charge · A. Diallo' }).count()).toBe(1);
    const edit = await telegram.waitForCall(
      'editMessageText',
      (p) => p.chat_id === diallo && String(p.text).includes(ref) && String(p.text).includes('A. Diallo'),
    );
    expect(String(edit.params.text)).toMatch(/prise en charge/i);
    await screenshot(officerPage, 'alert-wide');
  });

  it('replies to the reporter from the web, through Tamtam', async () => {
    await officerPage.getByRole('textbox', { name: /Message à PF-/ }).fill('Combien sont-ils ?');
    await officerPage.getByRole('button', { name: 'Envoyer au rapporteur' }).click();
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === reporter && String(p.text).includes('Combien sont-ils'));
    const talk = officerPage.getByRole('region', { name: 'Conversation avec le rapporteur' });
    expect(await talk.getByRole('listitem').filter({ hasText: 'A. Diallo: Combien sont-ils ?' }).count()).toBe(1);
  });

  it('is usable on a phone: the board fits 375 px and has no serious accessibility violation', async () => {
    const page = await signIn(diallo, 'phone');
    await page.getByRole('link', { name: ref }).waitFor();
    expect(await contentWidth(page)).toBeLessThanOrEqual(375);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'board-phone');
    await page.getByRole('link', { name: ref }).click();
    await page.getByRole('heading', { name: `Alerte ${ref}` }).waitFor();
    expect(await contentWidth(page)).toBeLessThanOrEqual(375);
    await screenshot(page, 'alert-phone');
  });

  it('resolving with outcomes on the web changes the response report, and the export is the office’s', async () => {
    const figure = (page: Page, name: string) =>
      page
        .getByRole('table', { name: 'Toute la période' })
        .getByRole('row', { name: new RegExp(`^${name} \\S+$`) })
        .getByRole('cell')
        .textContent();
    await officerPage.goto(`${app.url}/report`);
    expect(await figure(officerPage, 'Avec réponse')).toBe('0');
    expect(await figure(officerPage, 'Prises en charge')).toBe('1');
    await officerPage.goto(`${app.url}/alerts/${ref}`);
    const resolve = officerPage.getByRole('form', { name: 'Clore avec la réponse apportée' });
    await resolve.getByRole('checkbox', { name: 'Patrouille ou présence' }).check();
    await resolve.getByRole('checkbox', { name: 'Dialogue' }).check();
    await resolve.getByRole('textbox', { name: 'Note (facultative)' }).fill('Patrouille envoyée à 14 h');
    await resolve.getByRole('button', { name: 'Clore' }).click();
    await officerPage.getByRole('status').filter({ hasText: 'résolue' }).waitFor();
    await officerPage.getByRole('navigation').getByRole('link', { name: 'Rapport de réponse' }).click();
    await officerPage.getByRole('heading', { name: 'Rapport de réponse' }).waitFor();
    expect(await figure(officerPage, 'Avec réponse')).toBe('1');
    expect(await figure(officerPage, 'Patrouille ou présence')).toBe('1');
    expect(await figure(officerPage, 'Dialogue')).toBe('1');
    expect(await figure(officerPage, 'Closes')).toBe('1');
    expect(await officerPage.getByRole('img', { name: 'Part prise en charge à temps, par bureau' }).isVisible()).toBe(true);
    expect(await seriousViolations(officerPage)).toEqual([]);
    await screenshot(officerPage, 'report-wide');

    // The CSV link works with the session (no bearer token), with this office's alerts only.
    const href = await officerPage.getByRole('link', { name: 'Alertes (CSV)' }).getAttribute('href');
    const csv = await officerPage.request.get(`${app.url}${href}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(ref);
    const other = await signIn(maiga);
    const theirs = await other.request.get(`${app.url}${href}`);
    expect(theirs.status()).toBe(200);
    expect(await theirs.text()).not.toContain(ref);
    expect((await fetch(`${app.url}${href}`)).status).toBe(401);
  });

  it('the seasonal view counts the warning under its region and month', async () => {
    await officerPage.goto(`${app.url}/seasonal`);
    const table = officerPage.getByRole('table', { name: /Alertes par lieu et mois de l'année/ });
    const mopti = table.getByRole('row', { name: /^Mopti/ });
    const month = new Date().getUTCMonth();
    expect(await mopti.getByRole('cell').nth(month).textContent()).toBe('1');
    await screenshot(officerPage, 'seasonal-wide');
    // The reports' API answers a signed-in session too, with what that officer sees.
    const seasonal = await officerPage.request.get(`${app.url}/api/reports/seasonal?from=2020-01-01&to=2030-01-01`);
    expect(((await seasonal.json()) as { rows: { admin1: string }[] }).rows.map((r) => r.admin1)).toEqual(['Mopti']);
    const response = await officerPage.request.get(`${app.url}/api/reports/response?from=2020-01-01&to=2030-01-01&by=type`);
    expect(((await response.json()) as { total: { received: number } }).total.received).toBe(1);
  });
});
