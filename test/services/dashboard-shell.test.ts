import { afterEach, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { startTestRelay } from '../support/in-process-relay.js';
import {
  launchChromium,
  openPage,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/dashboard-browser.js';

const TOKEN = 'dashboard-token-for-browser-tests-0123';
const NAV = ['Live', 'Deliveries', 'Sinks', 'Subscriptions', 'Alerts', 'Test', 'Health', 'Streams'];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ url: string; browser: Browser }> {
  const relay = await startTestRelay({ DASHBOARD_TOKEN: TOKEN });
  cleanups.push(() => relay.close());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  return { url: relay.url, browser };
}

describe('dashboard shell in headless Chromium', () => {
  it('refuses a wrong token on the login form, logs in with the right one, and shows every page in the navigation', async () => {
    const { url, browser } = await setUp();
    const { page, errors } = await openPage(browser);
    await page.goto(`${url}/dashboard/`);
    await page.getByLabel('Dashboard token').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-login');

    await page.getByLabel('Dashboard token').fill('not-the-token-0123456789abcdef');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#login-error:not(:empty)').waitFor();
    expect(await page.locator('#login-error').textContent()).toContain('that is not the dashboard token');
    expect((await page.context().cookies()).map((cookie) => cookie.name)).toEqual([]);

    await page.getByLabel('Dashboard token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Dashboard pages' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([
      expect.objectContaining({
        name: 'relay_admin_session',
        httpOnly: true,
        sameSite: 'Strict',
        secure: false,
      }),
    ]);
    expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toEqual(NAV);
    for (const title of NAV) {
      await page.getByRole('navigation').getByRole('link', { name: title, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      expect(await page.getByRole('link', { name: title, exact: true }).getAttribute('aria-current')).toBe(
        'page',
      );
    }
    // A reload keeps the session (cookie) and fetches the CSRF token again; logging out ends it.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Streams' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Dashboard token').waitFor();
    await page.reload();
    await page.getByLabel('Dashboard token').waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('logs in from the login link (#token=…) and removes the token from the address bar', async () => {
    const { url, browser } = await setUp();
    const { page, errors } = await openPage(browser);
    await page.goto(`${url}/dashboard/#token=${TOKEN}`);
    await page.getByRole('navigation', { name: 'Dashboard pages' }).waitFor();
    expect(page.url()).toBe(`${url}/dashboard/#/live`);
    expect(page.url()).not.toContain(TOKEN);
    await screenshot(page, 'dashboard-shell');
    expect(errors).toEqual([]);
    // The entry with the token was replaced, not added to: Back leaves the dashboard.
    await page.goBack();
    expect(page.url()).toBe('about:blank');
  }, 60_000);
});
