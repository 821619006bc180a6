import type { Browser } from 'playwright-core';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramTextUpdate, postTelegramUpdate } from '../fakes/sign.js';
import type { FakeTelegram } from '../fakes/telegram-api.js';
import { alertRows } from '../helpers/alerts.js';
import { eventually, testDeployment, type TestTamtam } from '../helpers/tamtam.js';
import { loginLink, signInWith, startOperationsRoom, stopOperationsRoom } from './browser.js';

const secret = 'telegram-webhook-secret-web-incidents';
const diallo = 565656;
const [first, second] = [700000401, 700000402];
const deployment = testDeployment({ ackTimeout: '1h', groupIncidents: true }).replace(
  'role: officer, phone: "+22370000001"',
  `role: officer, telegramId: ${diallo}, phone: "+22370000001"`,
);

describe('the alert page shows the reports grouped under an alert and the link to an earlier one (chromium)', () => {
  let telegram: FakeTelegram;
  let app: TestTamtam;
  let browser: Browser;
  const post = (update: Update) => postTelegramUpdate(app.url!, secret, update);
  const notified = (text: string) =>
    eventually(async () => (await alertRows(app)).find((a) => a.text === text && a.status === 'notified'), { what: text });

  beforeAll(async () => {
    ({ telegram, app, browser } = await startOperationsRoom(deployment, secret));
  });
  afterAll(() => stopOperationsRoom({ telegram, app, browser }));

  it('counts two reporters’ warnings of one attack on the first alert, and links a reporter’s other incident to it', async () => {
    await post(telegramTextUpdate({ text: 'attaque a Dialloubé, 3 morts', fromId: first }));
    const alert = await notified('attaque a Dialloubé, 3 morts');
    await post(telegramTextUpdate({ text: 'des tirs à Dialloubé, des gens tués', fromId: second }));
    // The first reporter, minutes later, about an abduction elsewhere: a new alert linked to the first.
    await post(telegramTextUpdate({ text: 'enlèvement de deux enseignants à Djenné', fromId: first }));
    const abduction = await notified('enlèvement de deux enseignants à Djenné');
    expect((await alertRows(app)).filter((a) => a.text.includes('Dialloubé'))).toHaveLength(1);

    const page = await signInWith(browser, await loginLink(telegram, post, diallo), app.url!, 'wide');
    await page.goto(`${app.url}/alerts/${alert.ref}`);
    const card = page.getByRole('region', { name: 'Alerte', exact: true });
    await card.getByRole('definition').filter({ hasText: '2 signalements de 2 sources' }).waitFor();
    expect(await page.getByRole('list').filter({ hasText: "Signalement d'une autre source" }).textContent()).toContain('des tirs à Dialloubé');

    await page.goto(`${app.url}/alerts/${abduction.ref}`);
    await card.getByRole('link', { name: alert.ref }).click();
    await page.waitForURL(`**/alerts/${alert.ref}`);

    // An abduction that is also sexual violence is on the board filtered for either type.
    await post(telegramTextUpdate({ text: 'ils ont enlevé une jeune femme et l’ont violée à Bandiagara', fromId: 700000403 }));
    const both = await notified('ils ont enlevé une jeune femme et l’ont violée à Bandiagara');
    expect([both.threatType, ...both.otherThreatTypes].sort()).toEqual(['abduction', 'sexual_violence']);
    for (const type of ['sexual_violence', 'abduction']) {
      await page.goto(`${app.url}/?type=${type}`);
      await page.getByRole('link', { name: both.ref }).waitFor({ timeout: 5_000 });
    }
    await page.goto(`${app.url}/?type=looting_destruction`);
    expect(await page.getByRole('combobox', { name: 'Type de menace' }).inputValue()).toBe('looting_destruction');
    expect(await page.getByRole('link', { name: both.ref }).count()).toBe(0);
  });
});
