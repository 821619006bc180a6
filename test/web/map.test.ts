import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportAndWaitNotified } from '../helpers/alerts.js';
import { adminToken, eventually, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';
import { contentWidth, launchChromium, newContext, screenshot, seriousViolations } from './browser.js';

describe('the operations room’s map, seasonal view and administrator sign-in (chromium)', () => {
  let app: TestTamtam;
  let browser: Browser;
  let ref: string;

  /** Signs in with the administrator token, through the form. */
  async function signInAsAdmin(size: 'wide' | 'phone'): Promise<Page> {
    const page = await (await newContext(browser, size)).newPage();
    await page.goto(`${app.url}/`);
    await page.getByRole('textbox', { name: 'Administrator token' }).fill('not the token');
    await page.getByRole('button', { name: 'Sign in as administrator' }).click();
    await page.getByRole('alert').filter({ hasText: 'not the administrator token' }).waitFor();
    await page.getByRole('textbox', { name: 'Administrator token' }).fill(adminToken);
    await page.getByRole('button', { name: 'Sign in as administrator' }).click();
    await page.getByRole('heading', { name: 'Open alerts' }).waitFor();
    return page;
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestTamtam({ backend: 'postgres' }), launchChromium()]);
    ref = (await reportAndWaitNotified(app, '+22376000111', 'Des hommes armés ont attaqué le village près de Mopti, il y a des morts')).ref;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('draws the office areas and the alert from the bundled boundaries, with nothing fetched beyond 127.0.0.1', async () => {
    const page = await signInAsAdmin('wide');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.getByRole('navigation').getByRole('link', { name: 'Map' }).click();
    await page.getByRole('heading', { name: 'Map', exact: true }).waitFor();
    const map = page.getByRole('group', { name: /Office areas and alerts of the last 30 days/ });
    expect(await map.getByRole('img', { name: 'Mopti Field Office' }).count()).toBe(1);
    expect(await map.getByRole('img', { name: 'Gao Field Office' }).count()).toBe(1);
    expect(await map.getByRole('link', { name: new RegExp(`^${ref} · Attack on civilians`) }).count()).toBe(1);
    expect(await page.getByText('DNCT (Direction Nationale des Collectivités Territoriales) / OCHA Mali').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Threat types' }).isVisible()).toBe(true);
    await page.waitForLoadState('networkidle');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith(`${app.url}/`))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'map-wide');
  });

  it('sends an officer with a phone a sign-in link by SMS (LOGIN), who dismisses an alert as a duplicate on the web', async () => {
    await app.send('+22370000001', 'LOGIN');
    const sms = await eventually(async () => (await app.outbox('+22370000001')).find((m) => m.text.includes('/login/')), { what: 'the link by SMS' });
    const token = sms.text.match(/\/login\/([\w-]+)/)![1];
    const page = await (await newContext(browser, 'phone')).newPage();
    await page.goto(`${app.url}/login/${token}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Alertes ouvertes' }).waitFor();
    expect(await page.getByRole('link', { name: ref }).isVisible()).toBe(true);

    // Dismissing as a duplicate: an unknown reference is refused and changes nothing; a real one is recorded.
    const other = (await reportAndWaitNotified(app, '+22376000222', 'Un engin explosif a sauté sur la route près de Mopti ce matin')).ref;
    await page.goto(`${app.url}/alerts/${other}`);
    await page.getByRole('textbox', { name: "Doublon de l'alerte (référence, facultatif)" }).fill('ZZZZZ');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Classer' }).click(),
    ]);
    expect(refused.status()).toBe(409);
    await page.getByRole('alert').filter({ hasText: 'ZZZZZ' }).waitFor();
    await page.getByRole('textbox', { name: "Doublon de l'alerte (référence, facultatif)" }).fill(ref.toLowerCase());
    await page.getByRole('button', { name: 'Classer' }).click();
    await page.getByRole('status').filter({ hasText: 'classée' }).waitFor();
    expect(await page.getByRole('region', { name: 'Chronologie' }).getByText(`Doublon de ${ref}`).count()).toBe(1);
  });

  it('shows the seasonal heat table, and an administrator can look but not act', async () => {
    const page = await signInAsAdmin('phone');
    await page.goto(`${app.url}/seasonal?from=2020-01-01&to=2030-01-01`);
    // Simulator warnings are exercises: the seasonal report leaves them out, and says so.
    expect(await page.getByText('No warning in this period.').isVisible()).toBe(true);
    await page.goto(`${app.url}/alerts/${ref}`);
    expect(await page.getByText('Signed in as administrator').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await contentWidth(page)).toBeLessThanOrEqual(375);
    await page.goto(`${app.url}/map`);
    expect(await contentWidth(page)).toBeLessThanOrEqual(375);
    await screenshot(page, 'map-phone');
  });
});
