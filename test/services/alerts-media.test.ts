import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { fixture } from '../support/sign.js';
import { postEvent } from '../support/stream-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { OVERLAY_TOKEN, writeAlertsConfig } from '../support/alerts-relay.js';
import {
  launchChromium,
  openOverlay,
  pageRecord,
  recordAlerts,
  screenshotPath,
} from '../support/alerts-browser.js';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'overlay', 'assets');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A media folder with a sound, an image and a stylesheet, as a streamer would drop them in. */
function mediaFolder(): string {
  const dir = tempDir('alerts-media-');
  cleanups.push(dir.cleanup);
  mkdirSync(join(dir.path, 'sounds'));
  copyFileSync(join(ASSETS, 'chime.wav'), join(dir.path, 'sounds', 'ding.wav'));
  copyFileSync(join(ASSETS, 'gift.svg'), join(dir.path, 'my follow.svg'));
  writeFileSync(join(dir.path, 'look.css'), '.alert { --alert-background: rgb(10, 20, 30); }\n');
  return dir.path;
}

async function setup(
  alerts: Record<string, unknown>,
): Promise<{ relayUrl: string; page: Page; errors: string[] }> {
  const files: (() => void)[] = [];
  cleanups.push(() => files.forEach((f) => f()));
  const relay = await startTestRelay({ CONFIG_FILE: writeAlertsConfig(alerts, files) });
  cleanups.push(() => relay.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 400 } });
  cleanups.push(() => page.close());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await recordAlerts(page);
  await openOverlay(page, `${relay.url}/overlay/?stream=overlay&token=${OVERLAY_TOKEN}`);
  return { relayUrl: relay.url, page, errors };
}

describe('alert sounds, images and the look from the media folder', () => {
  it("gives the <audio> the rule's sound and calls play(); the image and the user stylesheet load", async () => {
    const media = mediaFolder();
    const { relayUrl, page, errors } = await setup({
      media,
      stylesheet: 'look.css',
      rules: [{ type: 'channel.follow', sound: 'sounds/ding.wav', image: 'my follow.svg', volume: 0.5 }],
    });
    await postEvent(relayUrl, TEST_SECRET, fixture('notification.channel.follow.v2.json'));
    await waitFor(async () => (await pageRecord(page)).played.length > 0, 15_000, 'play()');
    const record = await pageRecord(page);
    expect(record.played).toEqual([`${relayUrl}/overlay/media/sounds/ding.wav`]);
    expect(record.shown[0]).toMatchObject({
      title: 'Cool_User just followed!',
      image: `${relayUrl}/overlay/media/my%20follow.svg`,
    });
    expect(await page.evaluate("document.getElementById('sound').getAttribute('src')")).toBe(
      `${relayUrl}/overlay/media/sounds/ding.wav`,
    );
    expect(await page.evaluate("document.getElementById('sound').volume")).toBe(0.5);
    await waitFor(
      async () => (await page.evaluate("document.querySelector('.alert-image').naturalWidth")) === 128,
      15_000,
      'the image',
    );
    expect(await page.evaluate("getComputedStyle(document.getElementById('alert')).backgroundColor")).toBe(
      'rgb(10, 20, 30)',
    );
    // Playing, not blocked: no status shown.
    await waitFor(
      async () => Number(await page.evaluate("document.getElementById('sound').currentTime")) > 0,
      15_000,
      'the sound to play',
    );
    expect(await page.locator('#status').isHidden()).toBe(true);
    await page.locator('#alert').screenshot({ path: screenshotPath('alerts-media-follow.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a visible status when a configured image or sound is missing from the media folder', async () => {
    const media = mediaFolder();
    const { relayUrl, page } = await setup({
      media,
      rules: [{ type: 'channel.raid', image: 'missing.gif', sound: 'missing.mp3' }],
    });
    await postEvent(relayUrl, TEST_SECRET, fixture('notification.channel.raid.v1.json'));
    await page
      .locator('#status')
      .filter({ hasText: /did not load: .*missing\.(gif|mp3)/ })
      .waitFor({ timeout: 15_000 });
    expect(await page.locator('#status').isVisible()).toBe(true);
    // The alert itself still shows its text: the built-in one, variation by amount included.
    expect(await page.locator('#alert .alert-title').textContent()).toBe('Cool_User is raiding!');
    expect(await page.locator('#alert .alert-message').textContent()).toBe('with 9001 viewers');
    await page.screenshot({ path: screenshotPath('alerts-media-missing-status.png') });
  }, 60_000);

  it('serves only files inside the media folder: no "..", no hidden files', async () => {
    const media = mediaFolder();
    writeFileSync(join(media, '.secret'), 'hidden');
    const { relayUrl } = await setup({ media });
    expect((await fetch(`${relayUrl}/overlay/media/sounds/ding.wav`)).status).toBe(200);
    for (const path of [
      '/overlay/media/.secret',
      '/overlay/media/%2e%2e/eventsub-relay.yml',
      '/overlay/media/..%2f..%2fetc%2fpasswd',
    ]) {
      const res = await fetch(`${relayUrl}${path}`);
      expect({ path, status: res.status }).toEqual({
        path,
        status: expect.not.stringMatching(/^2/) as unknown,
      });
      expect(await res.text()).not.toContain('hidden');
    }
  }, 60_000);
});
