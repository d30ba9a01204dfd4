import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { fixture } from '../support/sign.js';
import { postEvent } from '../support/stream-relay.js';
import { waitFor } from '../support/wait-for.js';
import { decodePng } from '../support/png-pixels.js';
import { OVERLAY_TOKEN, withEvent, writeAlertsConfig } from '../support/alerts-relay.js';
import {
  launchChromium,
  openOverlay,
  pageRecord,
  recordAlerts,
  screenshotPath,
} from '../support/alerts-browser.js';

// Every page here is opened as another PC on the LAN would: by a host name, over plain HTTP.
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium(['--host-resolver-rules=MAP streampc.lan 127.0.0.1']);
});
afterAll(async () => {
  await browser.close();
});
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayWith(alerts: Record<string, unknown>) {
  const files: (() => void)[] = [];
  cleanups.push(() => files.forEach((f) => f()));
  const relay = await startTestRelay({ CONFIG_FILE: writeAlertsConfig(alerts, files) });
  cleanups.push(() => relay.close());
  return {
    relay,
    lanUrl: `http://streampc.lan:${relay.port}/overlay/?stream=overlay&token=${OVERLAY_TOKEN}`,
  };
}

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  cleanups.push(() => page.close());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // helmet's Cross-Origin-Opener-Policy: Chromium ignores it on plain HTTP under a LAN name and
    // says so in the console; it changes nothing for the page.
    if (message.type() === 'error' && !message.text().startsWith('The Cross-Origin-Opener-Policy header'))
      errors.push(message.text());
  });
  await recordAlerts(page);
  return { page, errors };
}

const titles = async (page: Page) => (await pageRecord(page)).shown.map((shown) => shown.title);
const follow = (name: string) =>
  withEvent('notification.channel.follow.v2.json', { user_name: name, user_id: name });

describe('the alert box page, opened as http://streampc.lan:PORT/overlay/', () => {
  it('loads over plain HTTP under a LAN host name: 1920×1080, transparent, no status in normal operation', async () => {
    const { relay, lanUrl } = await relayWith({ duration: 60_000 });
    const { page, errors } = await newPage();
    await openOverlay(page, lanUrl);
    expect(page.url()).toMatch(/^http:\/\/streampc\.lan:\d+\/overlay\//);
    expect(await page.locator('#status').isHidden()).toBe(true);
    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.raid.v1.json'));
    await page
      .locator('#alert .alert-title')
      .filter({ hasText: 'Cool_User is raiding!' })
      .waitFor({ timeout: 15_000 });
    await waitFor(
      async () =>
        (await page.evaluate("document.getAnimations().every((a) => a.playState === 'finished')")) === true,
    );
    const file = screenshotPath('alerts-page-1920x1080.png');
    const pixels = decodePng(await page.screenshot({ path: file, omitBackground: true }));
    expect([pixels.width, pixels.height]).toEqual([1920, 1080]);
    // Transparent everywhere but the card: the corners, the bottom, beside the card.
    for (const [x, y] of [
      [0, 0],
      [1919, 0],
      [0, 1079],
      [1919, 1079],
      [960, 900],
      [200, 150],
    ] as const)
      expect(pixels.at(x, y)[3]).toBe(0);
    const box = (await page.locator('#alert').boundingBox())!;
    expect(pixels.at(Math.round(box.x + box.width / 2), Math.round(box.y + box.height - 10))[3]).toBe(255);
    expect(await page.locator('#status').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it('plays three quick events one after another for their durations, in order', async () => {
    const { relay, lanUrl } = await relayWith({ duration: 700, gap: 100 });
    const { page } = await newPage();
    await openOverlay(page, lanUrl);
    for (const name of ['Alpha', 'Bravo', 'Charlie']) await postEvent(relay.url, TEST_SECRET, follow(name));
    await waitFor(async () => (await titles(page)).length === 3, 20_000, 'three alerts');
    await page.waitForSelector('#alert[hidden]', { state: 'attached', timeout: 15_000 });
    expect(await titles(page)).toEqual([
      'Alpha just followed!',
      'Bravo just followed!',
      'Charlie just followed!',
    ]);
  }, 60_000);

  it('a reload mid-queue neither repeats the alert on screen as a new one nor drops the waiting ones', async () => {
    const { relay, lanUrl } = await relayWith({ duration: 2000, gap: 0 });
    const first = await newPage();
    await openOverlay(first.page, lanUrl);
    for (const name of ['One', 'Two', 'Three']) await postEvent(relay.url, TEST_SECRET, follow(name));
    await waitFor(
      async () => (await titles(first.page)).includes('Two just followed!'),
      20_000,
      'the second alert',
    );
    const shownBefore = await pageRecord(first.page);
    await first.page.reload();
    await first.page.waitForSelector('body[data-state="connected"]', { timeout: 15_000 });
    await waitFor(
      async () => (await titles(first.page)).includes('Three just followed!'),
      20_000,
      'the third alert',
    );
    const after = await pageRecord(first.page);
    // After the reload: the alert that was on screen (same id, the rest of its time), then the next.
    expect(after.shown.map((s) => s.title)).toEqual(['Two just followed!', 'Three just followed!']);
    expect(after.shown[0]!.id).toBe(shownBefore.shown.at(-1)!.id);
    expect([...shownBefore.shown, ...after.shown.slice(1)].map((s) => s.title)).toEqual([
      'One just followed!',
      'Two just followed!',
      'Three just followed!',
    ]);
    expect(
      relay.alerts
        .queue('overlay')!
        .snapshot()
        .recent.map((a) => a.title),
    ).toEqual(['Two just followed!', 'One just followed!']);
  }, 60_000);

  it('a gift bomb of 20 gives one alert, not 21', async () => {
    const { relay, lanUrl } = await relayWith({ duration: 400, gap: 0 });
    const { page } = await newPage();
    await openOverlay(page, lanUrl);
    await postEvent(
      relay.url,
      TEST_SECRET,
      withEvent('notification.channel.subscription.gift.v1.json', { total: 20 }),
    );
    for (let i = 0; i < 20; i++)
      await postEvent(
        relay.url,
        TEST_SECRET,
        withEvent('notification.channel.subscribe.v1.json', {
          is_gift: true,
          user_id: `5${i}`,
          user_name: `Gifted${i}`,
        }),
      );
    await postEvent(relay.url, TEST_SECRET, follow('Afterwards'));
    await waitFor(
      async () => (await titles(page)).includes('Afterwards just followed!'),
      30_000,
      'the follow after the gifts',
    );
    expect(await titles(page)).toEqual(['Cool_User gifted 20 subs!', 'Afterwards just followed!']);
  }, 90_000);

  it('shows markup in a name or message as text: <img src=x onerror=…> never becomes an element', async () => {
    const { relay, lanUrl } = await relayWith({ duration: 60_000 });
    const { page, errors } = await newPage();
    await openOverlay(page, lanUrl);
    const name = '<img src=x onerror="window.__pwned=1">';
    const message = 'hi <script>window.__pwned=2</script><img src=x onerror=window.__pwned=3>';
    await postEvent(
      relay.url,
      TEST_SECRET,
      withEvent('notification.channel.cheer.v1.json', { user_name: name, message }),
    );
    await page.locator('#alert:not([hidden])').waitFor({ timeout: 15_000 });
    expect(await page.locator('#alert .alert-title').textContent()).toBe(`${name} cheered 1000 bits!`);
    expect(await page.locator('#alert .alert-message').textContent()).toBe(message);
    expect(await page.locator('#alert .alert-text img, #alert .alert-text script').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.locator('#alert').screenshot({ path: screenshotPath('alerts-page-markup-as-text.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('keeps a 300-character cheer inside the 800×220 box, clamped with an ellipsis', async () => {
    const { relay, lanUrl } = await relayWith({ duration: 60_000 });
    const { page } = await newPage();
    await openOverlay(page, lanUrl);
    const long = `Cheer100 ${'this cheer message goes on and on '.repeat(9)}`.slice(0, 300);
    expect(long).toHaveLength(300);
    await postEvent(
      relay.url,
      TEST_SECRET,
      withEvent('notification.channel.cheer.v1.json', {
        bits: 100,
        message: long,
        user_name: 'An_Extremely_Long_Display_Name_For_Testing_The_Clamp',
      }),
    );
    await page.locator('#alert:not([hidden])').waitFor({ timeout: 15_000 });
    await waitFor(
      async () =>
        (await page.evaluate("document.getAnimations().every((a) => a.playState === 'finished')")) === true,
    );
    const card = (await page.locator('#alert').boundingBox())!;
    expect(card.width).toBeLessThanOrEqual(800);
    expect(card.height).toBeLessThanOrEqual(220);
    for (const part of ['.alert-title', '.alert-message', '.alert-image']) {
      const box = (await page.locator(`#alert ${part}`).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(card.x);
      expect(box.y).toBeGreaterThanOrEqual(card.y);
      expect(box.x + box.width).toBeLessThanOrEqual(card.x + card.width + 0.5);
      expect(box.y + box.height).toBeLessThanOrEqual(card.y + card.height + 0.5);
    }
    // The message is the cheer's text (the cheermote as an amount), cut by the line clamp.
    const text = await page.locator('#alert .alert-message').textContent();
    expect(text!.startsWith('100 bits this cheer message')).toBe(true);
    expect(text).not.toContain('Cheer100');
    const clamped = await page.evaluate(
      "(() => { const m = document.querySelector('#alert .alert-message'); return m.scrollHeight > m.clientHeight; })()",
    );
    expect(clamped).toBe(true);
    await page.locator('#alert').screenshot({ path: screenshotPath('alerts-page-long-cheer.png') });
  }, 60_000);
});
