import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Update } from 'grammy/types';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fakeProviderEnv } from '../fakes/env.js';
import { telegramTextUpdate } from '../fakes/sign.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { eventually, freePort, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

/** Debian's chromium (.ci/run installs it); no browser is downloaded. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The two sizes every page is checked at (GoAlert's chromium-wide and chromium-mobile). */
export const viewports = { wide: { width: 1440, height: 900 }, phone: { width: 375, height: 667 } } as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What the operations room's browser tests run against. */
export interface OperationsRoom {
  telegram: FakeTelegram;
  app: TestTamtam;
  browser: Browser;
}

/**
 * Tamtam on the Redis backend behind a fake Bot API, on a port of its own that is also its public
 * URL (the sign-in links the bot sends point at it), and chromium beside it.
 */
export async function startOperationsRoom(deployment: string, webhookSecret: string): Promise<OperationsRoom> {
  const telegram = await startFakeTelegram();
  try {
    const port = await freePort();
    const env = { ...fakeProviderEnv({ telegram, webhookSecret }), PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` };
    const [app, browser] = await Promise.all([startTestTamtam({ backend: 'redis', deployment, env }), launchChromium()]);
    return { telegram, app, browser };
  } catch (error) {
    await telegram.close(); // else its keep-alive connections hold vitest open
    throw error;
  }
}

/** Closes what startOperationsRoom started (whatever of it did start). */
export async function stopOperationsRoom(room: Partial<OperationsRoom>): Promise<void> {
  await room.browser?.close();
  await room.app?.stop();
  await room.telegram?.close();
}

/** A fresh browser profile (its own cookies) at a size; English unless told. */
export function newContext(browser: Browser, size: keyof typeof viewports, locale = 'en-GB'): Promise<BrowserContext> {
  // bypassCSP lets the test inject axe-core into pages whose policy allows only Tamtam's own script.
  return browser.newContext({ viewport: viewports[size], locale, bypassCSP: true });
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Serious and critical accessibility violations axe-core finds in the page, as `id: help (n)` lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: unknown[] }[] }> } }
    ).axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes})`);
}

/** Saves a full-page screenshot under test-artifacts/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir('test-artifacts', { recursive: true });
  await page.screenshot({ path: `test-artifacts/${name}.png`, fullPage: true });
}

/** How wide the page's content is (more than the viewport: it scrolls sideways). */
export const contentWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

/** Sends /login to the bot as this officer (`post` delivers a Telegram update) and returns the link the bot answered with. */
export async function loginLink(telegram: FakeTelegram, post: (update: Update) => Promise<Response>, telegramId: number): Promise<string> {
  const before = telegram.callsOf('sendMessage').length;
  await post(telegramTextUpdate({ text: '/login', fromId: telegramId }));
  const call = await eventually(
    async () =>
      telegram
        .callsOf('sendMessage')
        .slice(before)
        .find((c) => c.params.chat_id === telegramId && String(c.params.text).includes('/login/')),
    { what: 'the sign-in link' },
  );
  return String(call.params.text).match(/https?:\/\/\S+\/login\/[\w-]+/)![0];
}

/** Opens a sign-in link in a fresh profile and signs in; returns the page on the board at `appUrl`. */
export async function signInWith(browser: Browser, link: string, appUrl: string, size: keyof typeof viewports = 'wide'): Promise<Page> {
  const page = await (await newContext(browser, size)).newPage();
  await page.goto(link);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${appUrl}/`);
  return page;
}
