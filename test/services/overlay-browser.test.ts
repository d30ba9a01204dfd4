import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { fixture } from '../support/sign.js';
import { follow, postEvent, writeStreamsConfig } from '../support/stream-relay.js';
import { serveStatic } from '../support/static-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const OVERLAY_DIR = join(here, '..', '..', 'examples', 'overlay');
const OUTPUT_DIR = join(here, '..', '..', 'test-output');
const TOKEN = 'overlay-token-0f9e8d7c6b5a4321';

/** Debian's chromium, as the issue asks (no browser download). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('examples/overlay in headless Chromium', () => {
  it('shows the alert for a signed channel.follow sent to /callback, then a raid, and saves a screenshot', async () => {
    const page$ = await serveStatic(OVERLAY_DIR);
    cleanups.push(() => page$.close());
    const files: (() => void)[] = [];
    cleanups.push(() => files.forEach((f) => f()));
    const configFile = writeStreamsConfig(
      [{ name: 'overlay', token: TOKEN, allowOrigin: [page$.origin], filter: { types: ['channel.*'] } }],
      files,
    );
    const relay = await startTestRelay({ CONFIG_FILE: configFile });
    cleanups.push(() => relay.close());

    const browser: Browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 800, height: 220 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${page$.origin}/index.html?relay=${relay.url}&stream=overlay&token=${TOKEN}`);
    await page.waitForSelector('body[data-state="connected"]', { timeout: 15_000 });

    const payload = follow('8675309') as { event: Record<string, unknown> };
    payload.event.user_name = 'Overlay_Tester';
    await postEvent(relay.url, TEST_SECRET, payload);
    const alert = page.locator('.alert-follow .alert-title');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toBe('Overlay_Tester just followed!');
    expect(await page.locator('.alert-follow .alert-message').textContent()).toBe('Welcome to the community');
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, 'overlay-follow.png') });

    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.raid.v1.json'));
    const raid = page.locator('.alert-raid .alert-title');
    await raid.waitFor({ timeout: 15_000 });
    expect(await raid.textContent()).toBe('Cool_User is raiding!');
    expect(await page.locator('.alert-raid .alert-message').textContent()).toBe('with 9001 viewers');
    expect(errors).toEqual([]);
  }, 60_000);

  it('works as the relay serves it at /overlay/ (same origin, no CORS, no relay= needed): a cheer alert', async () => {
    const files: (() => void)[] = [];
    cleanups.push(() => files.forEach((f) => f()));
    const configFile = writeStreamsConfig([{ name: 'overlay', token: TOKEN }], files);
    const relay = await startTestRelay({ CONFIG_FILE: configFile });
    cleanups.push(() => relay.close());
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 800, height: 220 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${relay.url}/overlay/?stream=overlay&token=${TOKEN}`);
    await page.waitForSelector('body[data-state="connected"]', { timeout: 15_000 });
    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.cheer.v1.json'));
    const cheer = page.locator('.alert-cheer .alert-title');
    await cheer.waitFor({ timeout: 15_000 });
    expect(await cheer.textContent()).toBe('Cool_User cheered 1000 bits!');
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, 'overlay-cheer.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows nothing and says it is not connected when the token is wrong', async () => {
    const page$ = await serveStatic(OVERLAY_DIR);
    cleanups.push(() => page$.close());
    const files: (() => void)[] = [];
    cleanups.push(() => files.forEach((f) => f()));
    const configFile = writeStreamsConfig(
      [{ name: 'overlay', token: TOKEN, allowOrigin: [page$.origin] }],
      files,
    );
    const relay = await startTestRelay({ CONFIG_FILE: configFile });
    cleanups.push(() => relay.close());
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    await page.goto(
      `${page$.origin}/index.html?relay=${relay.url}&stream=overlay&token=wrong-token-value-123`,
    );
    await page.waitForSelector('body[data-state="reconnecting"]', { timeout: 15_000 });
    await postEvent(relay.url, TEST_SECRET, follow('1'));
    await page.waitForTimeout(500);
    expect(await page.locator('#alert').isHidden()).toBe(true);
    expect(await page.locator('#status').textContent()).toMatch(
      /not connected to .*\/overlay\/overlay\/alerts/,
    );
    expect(await page.locator('#status').isVisible()).toBe(true);
  }, 60_000);
});
