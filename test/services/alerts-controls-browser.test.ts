import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { OVERLAY_TOKEN, writeAlertsConfig } from '../support/alerts-relay.js';
import {
  launchChromium,
  openOverlay,
  pageRecord,
  recordAlerts,
  screenshotPath,
} from '../support/alerts-browser.js';
import { startTestRelay } from '../support/in-process-relay.js';
import { runCli } from '../support/relay-process.js';
import { waitFor } from '../support/wait-for.js';

let browser: Browser;
let relay: Awaited<ReturnType<typeof startTestRelay>>;
const files: (() => void)[] = [];

beforeAll(async () => {
  browser = await launchChromium(['--host-resolver-rules=MAP streampc.lan 127.0.0.1']);
  // Alerts last a minute: what the page shows changes only when the test asks for it.
  relay = await startTestRelay({
    CONFIG_FILE: writeAlertsConfig({ duration: '60s' }, files),
    HOST: '0.0.0.0',
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await relay?.close();
  files.forEach((cleanup) => cleanup());
});

/** A control through the admin API, as the dashboard and the CLI call it. */
async function control(action: string, body: Record<string, unknown> = {}): Promise<void> {
  const response = await fetch(`${relay.url}/api/alerts/${action}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${relay.provisioned.dashboardToken.value}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

describe('the alert box page, controlled through the admin API and the CLI', () => {
  it('a test alert shows; pause holds the next one; skip clears the card; resume shows the next', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await recordAlerts(page);
    await openOverlay(
      page,
      `http://streampc.lan:${relay.port}/overlay/?stream=overlay&token=${OVERLAY_TOKEN}`,
    );
    const title = page.locator('#alert .alert-title');

    await control('test', { type: 'channel.cheer', set: { user: 'Foo', amount: '500' } });
    await page.waitForSelector('body[data-alert]');
    expect(await title.textContent()).toBe('Foo cheered 500 bits!');
    await page.screenshot({ path: screenshotPath('alerts-controls-test.png'), omitBackground: true });

    await control('pause');
    await page.waitForSelector('body[data-paused="true"]');
    await control('test', { type: 'channel.follow', set: { user: 'Held_Back' } });
    await control('skip');
    // Skipped and paused: the card leaves and nothing takes its place.
    await page.waitForSelector('#alert', { state: 'hidden' });
    expect(await page.locator('body[data-alert]').count()).toBe(0);
    expect((await pageRecord(page)).shown.map((shown) => shown.title)).toEqual(['Foo cheered 500 bits!']);

    // The CLI drives the same queue: resume, and the held alert shows.
    const env = {
      DATA_DIR: relay.config.dataDir,
      PORT: String(relay.port),
      HOST: '0.0.0.0',
      CONFIG_FILE: relay.config.file.path!,
    };
    const resume = await runCli(['alerts', 'resume'], env);
    expect(resume.code).toBe(0);
    await page.waitForSelector('body[data-paused="false"]');
    await waitFor(
      async () => (await title.textContent()) === 'Held_Back just followed!',
      15_000,
      'the held alert',
    );
    expect(await page.locator('#alert').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('alerts-controls-resumed.png'), omitBackground: true });

    const skip = await runCli(['alerts', 'skip'], env);
    expect(skip.stdout).toContain('skipped: channel.follow "Held_Back just followed!" (test)');
    await page.waitForSelector('#alert', { state: 'hidden' });
    expect((await pageRecord(page)).shown.map((shown) => shown.title)).toEqual([
      'Foo cheered 500 bits!',
      'Held_Back just followed!',
    ]);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
