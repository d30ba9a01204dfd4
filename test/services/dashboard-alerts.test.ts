import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { writeAlertsConfig } from '../support/alerts-relay.js';
import {
  launchChromium,
  openPage,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/dashboard-browser.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { follow, postEvent } from '../support/stream-relay.js';
import { waitFor } from '../support/wait-for.js';

const TOKEN = 'dashboard-token-for-alerts-page-0123';
const XSS = '<img src=x onerror=alert(1)>';

let browser: Browser;
let relay: Awaited<ReturnType<typeof startTestRelay>>;
const files: (() => void)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  // Alerts last a minute: the queue changes only when the test asks it to.
  relay = await startTestRelay({
    CONFIG_FILE: writeAlertsConfig({ duration: '60s' }, files),
    DASHBOARD_TOKEN: TOKEN,
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await relay?.close();
  files.forEach((cleanup) => cleanup());
});

/** The queue as the admin API reports it, to check what the page did. */
async function queueState(): Promise<{
  paused: boolean;
  current: { alert: { title: string } } | null;
  waiting: { title: string }[];
}> {
  const response = await fetch(`${relay.url}/api/alerts?stream=overlay`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  return (await response.json()) as Awaited<ReturnType<typeof queueState>>;
}

describe('the dashboard Alerts page in headless Chromium', () => {
  it('sends a test alert shown as text, pauses, holds the next, resumes and skips', async () => {
    const { page, errors } = await openPage(browser);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${relay.url}/dashboard/#token=${TOKEN}`);
    await page.getByRole('heading', { level: 1, name: 'Live' }).waitFor();
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    const queue = page.locator('section.alert-queue[data-stream="overlay"]');
    await queue.locator('.alert-current', { hasText: 'Nothing' }).waitFor();

    // A test cheer whose user name is markup: it is shown as text, and no image or script appears.
    await page.locator('#alert-test-type').selectOption('channel.cheer');
    await page.locator('#alert-field-user').fill(XSS);
    await page.locator('#alert-field-amount').fill('500');
    await page.locator('#alert-test-send').click();
    const current = queue.locator('.alert-current .alert-title');
    await current.filter({ hasText: `${XSS} cheered 500 bits!` }).waitFor();
    expect(await current.textContent()).toBe(`${XSS} cheered 500 bits!`);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await queue.locator('.time-left').textContent()).toMatch(/^ · \d+ s left$/);
    expect((await queueState()).current?.alert.title).toBe(`${XSS} cheered 500 bits!`);

    // A refresh that only counts the time down keeps the buttons in place: the focus stays on Pause.
    const pause = queue.getByRole('button', { name: 'Pause' });
    await pause.focus();
    const before = await queue.locator('.time-left').textContent();
    await waitFor(
      async () => (await queue.locator('.time-left').textContent()) !== before,
      15_000,
      'the time left to count down',
    );
    expect(await page.locator('button.alert-pause:focus').count()).toBe(1);

    // Pause, then a second test alert waits behind the one on screen.
    await queue.getByRole('button', { name: 'Pause' }).click();
    await queue.locator('.queue-state', { hasText: 'Paused' }).waitFor();
    expect((await queueState()).paused).toBe(true);
    await page.locator('#alert-test-type').selectOption('channel.follow');
    await page.locator('#alert-field-user').fill('Held_Back');
    await page.locator('#alert-field-amount').fill('');
    await page.locator('#alert-test-send').click();
    await queue.locator('.alert-waiting li', { hasText: 'Held_Back just followed!' }).waitFor();
    expect(await queue.getByRole('heading', { name: 'Waiting (1)' }).count()).toBe(1);
    expect((await queueState()).waiting.map((alert) => alert.title)).toEqual(['Held_Back just followed!']);
    await screenshot(page, 'dashboard-alerts-paused');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Resume: the cheer is still on screen (it has most of its minute left), the follow still waits.
    await queue.getByRole('button', { name: 'Resume' }).click();
    await queue.locator('.queue-state', { hasText: 'Running' }).waitFor();
    expect((await queueState()).paused).toBe(false);

    // Skip ends the cheer; the waiting follow takes its place; skip again clears the queue.
    await queue.getByRole('button', { name: 'Skip' }).click();
    await page.locator('#alerts-result', { hasText: `Skipped: ${XSS} cheered 500 bits!` }).waitFor();
    await current.filter({ hasText: 'Held_Back just followed!' }).waitFor();
    await queue.getByRole('button', { name: 'Skip' }).click();
    await queue.locator('.alert-current', { hasText: 'Nothing' }).waitFor();
    await queue.getByRole('heading', { name: 'Waiting (0)' }).waitFor();
    const after = await queueState();
    expect(after.current).toBeNull();
    expect(after.waiting).toEqual([]);
    await screenshot(page, 'dashboard-alerts-cleared');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('refuses a replay of an unknown event id on the page and queues nothing', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${relay.url}/dashboard/#token=${TOKEN}`);
    await page.getByRole('heading', { level: 1, name: 'Live' }).waitFor();
    await page.goto(`${relay.url}/dashboard/#/alerts/no-such-event`);
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    expect(await page.locator('#alert-replay-id').inputValue()).toBe('no-such-event');
    await page.locator('#alert-replay-send').click();
    await page.locator('#alerts-result .error').waitFor();
    expect(await page.locator('#alerts-result .error').textContent()).toMatch(/no-such-event|store/);
    const state = await queueState();
    expect(state.current).toBeNull();
    expect(state.waiting).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('replays a stored event as an alert from its Event page', async () => {
    const followId = await postEvent(relay.url, TEST_SECRET, follow('4242'));
    const { page, errors } = await openPage(browser);
    await page.goto(`${relay.url}/dashboard/#token=${TOKEN}`);
    await page.getByRole('heading', { level: 1, name: 'Live' }).waitFor();
    await page.goto(`${relay.url}/dashboard/#/event/${encodeURIComponent(followId)}`);
    await page.getByRole('heading', { level: 1, name: 'Event' }).waitFor();
    await page.getByRole('link', { name: 'Replay as alert…' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    expect(await page.locator('#alert-replay-id').inputValue()).toBe(followId);
    // The event's own alert is on screen (a minute long); the replay waits right after it.
    const queue = page.locator('section.alert-queue[data-stream="overlay"]');
    await queue.locator('.alert-current', { hasText: 'channel.follow, event' }).waitFor();
    await page.locator('#alert-replay-send').click();
    await queue.locator('.alert-waiting li', { hasText: 'channel.follow, replay' }).waitFor();
    const state = await queueState();
    expect(state.waiting).toHaveLength(1);
    expect(state.waiting[0]!.title).toBe(state.current!.alert.title);
    await screenshot(page, 'dashboard-alerts-replay');
    await queue.getByRole('button', { name: 'Skip' }).click();
    await queue.locator('.alert-current', { hasText: 'channel.follow, replay' }).waitFor();
    await queue.getByRole('button', { name: 'Skip' }).click();
    await queue.locator('.alert-current', { hasText: 'Nothing' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
