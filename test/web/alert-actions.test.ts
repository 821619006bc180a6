import type { Browser, Page } from 'playwright-core';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramTextUpdate, postTelegramUpdate } from '../fakes/sign.js';
import type { FakeTelegram } from '../fakes/telegram-api.js';
import { alertRows, eventsOf } from '../helpers/alerts.js';
import { eventually, testDeployment, type TestTamtam } from '../helpers/tamtam.js';
import { contentWidth, screenshot, seriousViolations, loginLink, signInWith, startOperationsRoom, stopOperationsRoom } from './browser.js';

const secret = 'telegram-webhook-secret-web-actions';
const [diallo, keita, maiga] = [121212, 343434, 454545];
const reporter = 700000301;
const deployment = testDeployment({ ackTimeout: '1h' })
  .replace('role: officer, phone: "+22370000001"', `role: officer, telegramId: ${diallo}, phone: "+22370000001"`)
  .replace(
    'o-keita, name: B. Keita, office: mopti, role: supervisor,',
    `o-keita, name: B. Keita, office: mopti, role: supervisor, telegramId: ${keita},`,
  )
  .replace('o-maiga, name: H. Maïga, office: gao, role: officer,', `o-maiga, name: H. Maïga, office: gao, role: officer, telegramId: ${maiga},`);

describe('correcting and escalating an alert from the operations room (chromium, fake Bot API)', () => {
  let telegram: FakeTelegram;
  let app: TestTamtam;
  let browser: Browser;
  let ref: string;
  let page: Page;
  const post = (update: Update) => postTelegramUpdate(app.url!, secret, update);
  const apiAlert = async () =>
    (await (await app.api(`/api/alerts/${ref}`)).json()) as { threatType: string; otherThreatTypes: string[]; office: string; status: string };

  const signIn = async (telegramId: number, size: 'wide' | 'phone' = 'wide') =>
    signInWith(browser, await loginLink(telegram, post, telegramId), app.url!, size);

  beforeAll(async () => {
    ({ telegram, app, browser } = await startOperationsRoom(deployment, secret));
    await post(telegramTextUpdate({ text: 'Hommes armés à moto près de Mopti, ils menacent le village', fromId: reporter }));
    ref = (await eventually(async () => (await alertRows(app)).find((a) => a.status === 'notified'), { what: 'the alert' })).ref;
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === diallo && String(p.text).includes(ref));
  });
  afterAll(() => stopOperationsRoom({ telegram, app, browser }));

  it('correcting the type and the other types on the web changes the alert and edits the officer’s Telegram card', async () => {
    page = await signIn(diallo);
    await page.goto(`${app.url}/alerts/${ref}`);
    const form = page.getByRole('form', { name: "Corriger l'analyse : type, gravité, lieu ou bureau" });
    expect(await seriousViolations(page)).toEqual([]);
    await form.getByRole('combobox', { name: 'Type de menace' }).selectOption({ label: 'Enlèvement' });
    await form.getByRole('group', { name: 'Aussi' }).getByRole('checkbox', { name: 'Violence sexuelle' }).check();
    await form.getByRole('button', { name: 'Corriger' }).click();
    // The SMS answer to TYPE, word for word.
    await page
      .getByRole('status')
      .filter({ hasText: `Alerte ${ref} corrigée` })
      .waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Enlèvement');
    expect(await page.getByRole('status').textContent()).toContain('aussi Violence sexuelle');
    expect(await apiAlert()).toMatchObject({ threatType: 'abduction', otherThreatTypes: ['sexual_violence'] });
    // The alert page's card lists the other types.
    await page
      .getByRole('region', { name: 'Alerte', exact: true })
      .getByRole('definition')
      .filter({ hasText: /^Violence sexuelle$/ })
      .waitFor();
    await telegram.waitForCall(
      'editMessageText',
      (p) => p.chat_id === diallo && String(p.text).includes(ref) && String(p.text).includes('Enlèvement · aussi : Violence sexuelle'),
    );
    expect(
      await page.getByRole('region', { name: 'Chronologie' }).getByRole('listitem').filter({ hasText: 'Corrigée · A. Diallo' }).count(),
    ).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'alert-correct-wide');
  });

  it('answers an unknown place and an unchanged correction with the SMS texts, changing nothing', async () => {
    const form = page.getByRole('form', { name: "Corriger l'analyse : type, gravité, lieu ou bureau" });
    await form.getByRole('textbox', { name: /Lieu/ }).fill('Atlantide');
    await form.getByRole('button', { name: 'Corriger' }).click();
    await page.getByRole('alert').filter({ hasText: 'Atlantide' }).waitFor();
    await page.getByRole('form', { name: "Corriger l'analyse : type, gravité, lieu ou bureau" }).getByRole('button', { name: 'Corriger' }).click();
    await page.getByRole('status').filter({ hasText: "rien n'a changé" }).waitFor();
    expect(await apiAlert()).toMatchObject({ threatType: 'abduction', office: 'mopti' });
  });

  it('an officer of another office gets 403 and nothing changes', async () => {
    const other = await signIn(maiga);
    const csrf = await other.locator('input[name=_csrf]').first().inputValue();
    const id = (await alertRows(app)).find((a) => a.ref === ref)!.id;
    const before = (await eventsOf(app, id)).filter((e) => e.type !== 'action_refused').length;
    for (const [action, form] of [
      ['correct', { threatType: 'looting', office: 'gao' }],
      ['escalate', {}],
    ] as const) {
      expect((await other.request.post(`${app.url}/alerts/${ref}/${action}`, { form: { _csrf: csrf, ...form } })).status()).toBe(403);
    }
    expect(await apiAlert()).toMatchObject({ threatType: 'abduction', office: 'mopti', status: 'notified' });
    expect((await eventsOf(app, id)).filter((e) => e.type !== 'action_refused')).toHaveLength(before);
  });

  it('"Escalate now" records the request, notifies the next level, and the page shows it by itself', async () => {
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    await page.getByRole('button', { name: 'Escalader maintenant' }).click();
    await page.getByRole('status').filter({ hasText: 'escaladée' }).waitFor();
    const id = (await alertRows(app)).find((a) => a.ref === ref)!.id;
    expect((await eventsOf(app, id)).map((e) => e.type)).toContain('escalation_requested');
    await telegram.waitForCall('sendMessage', (p) => p.chat_id === keita && String(p.text).includes(ref));
    const seen = navigations;
    // The escalation runs in the worker after the page came back: the polling brings it in.
    await page
      .getByRole('region', { name: 'Chronologie' })
      .getByRole('listitem')
      .filter({ hasText: /^.*Escaladée · Tamtam/ })
      .waitFor({ timeout: 10_000 });
    expect(navigations).toBe(seen);
    // Within one refresh of the page (every 5 s).
    await expect
      .poll(() => page.getByRole('region', { name: 'Alerte', exact: true }).getByRole('definition').filter({ hasText: /^1$/ }).count(), {
        timeout: 10_000,
      })
      .toBe(1);
  });

  it('correcting the office moves the alert to that office, whose officer gets the card', async () => {
    const phone = await signIn(diallo, 'phone');
    await phone.goto(`${app.url}/alerts/${ref}`);
    expect(await contentWidth(phone)).toBeLessThanOrEqual(375);
    await screenshot(phone, 'alert-actions-phone');
    const before = telegram.callsOf('sendMessage').length;
    await page.goto(`${app.url}/alerts/${ref}`);
    const form = page.getByRole('form', { name: "Corriger l'analyse : type, gravité, lieu ou bureau" });
    await form.getByRole('combobox', { name: 'Bureau' }).selectOption({ label: 'Gao Field Office' });
    await form.getByRole('button', { name: 'Corriger' }).click();
    await page.getByRole('heading', { name: 'Alerte confiée à un autre bureau' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Gao Field Office');
    expect((await apiAlert()).office).toBe('gao');
    await eventually(
      async () =>
        telegram
          .callsOf('sendMessage')
          .slice(before)
          .find((c) => c.params.chat_id === maiga && String(c.params.text).includes(ref)),
      { what: 'the Gao officer’s card' },
    );
    const gao = await signIn(maiga);
    await gao.getByRole('link', { name: ref }).waitFor();
  });
});
