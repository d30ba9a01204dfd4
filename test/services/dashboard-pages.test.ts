import { afterEach, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { follow, postEvent } from '../support/stream-relay.js';
import { fixture } from '../support/sign.js';
import { startSwitchableConsumer } from '../support/switchable-consumer.js';
import { waitFor } from '../support/wait-for.js';
import {
  launchChromium,
  openPage,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/dashboard-browser.js';

const TOKEN = 'dashboard-token-for-browser-tests-0123';
const XSS = '<img src=x onerror=alert(1)>';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A relay whose sink `bot` goes to a real consumer: a dead letter after one quick retry (`dies`),
 * or two quick retries then a 10-minute step (`waits`: the backlog case).
 */
async function setUp(schedule: number[]) {
  const bot = await startSwitchableConsumer(true);
  cleanups.push(() => bot.close());
  const files: (() => void)[] = [];
  cleanups.push(() => files.forEach((f) => f()));
  const configFile = writeSinksConfig(
    [
      {
        name: 'bot',
        kind: 'http',
        url: bot.url,
        secret: TEST_WEBHOOK_SECRET,
        concurrency: 1,
        retry: { schedule, jitter: 0 },
      },
    ],
    files,
  );
  const relay = await startTestRelay({ CONFIG_FILE: configFile, DASHBOARD_TOKEN: TOKEN });
  cleanups.push(() => relay.close());
  const browser: Browser = await launchChromium();
  cleanups.push(() => browser.close());
  const { page, errors } = await openPage(browser);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  await page.goto(`${relay.url}/dashboard/#token=${TOKEN}`);
  await page.getByRole('heading', { level: 1, name: 'Live' }).waitFor();
  await page.locator('#live-status', { hasText: 'connected' }).waitFor();
  return { relay, bot, page, errors, dialogs };
}

async function checkAccessibility(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

function chatMessage(text: string): Record<string, unknown> {
  const base = fixture('notification.channel.chat.message.v1.json') as {
    subscription: unknown;
    event: Record<string, unknown>;
  };
  return {
    subscription: base.subscription,
    event: { ...base.event, message: { text, fragments: [{ type: 'text', text }] } },
  };
}

describe('dashboard pages in headless Chromium', () => {
  it('shows a signed event live, a chat message with markup as text, and the event with its attempts', async () => {
    const { relay, bot, page, errors } = await setUp([0.05]);
    const followId = await postEvent(relay.url, TEST_SECRET, follow('777'));
    const line = page.locator(`tr[data-id="${followId}"]`);
    await line.waitFor({ timeout: 5_000 });
    expect(await line.getByRole('link').textContent()).toBe('user777 followed');

    const chatId = await postEvent(relay.url, TEST_SECRET, chatMessage(XSS));
    const chat = page.locator(`tr[data-id="${chatId}"]`);
    await chat.waitFor({ timeout: 5_000 });
    expect(await chat.locator('.message-text').textContent()).toBe(XSS);
    expect(await page.locator('main img').count()).toBe(0);
    // Search by user keeps the follow, hides the chat message.
    await page.getByLabel('Search').fill('user777');
    await waitFor(async () => (await page.locator('tbody tr').count()) === 1, 5_000, 'the search');
    await page.getByLabel('Search').fill('');
    await checkAccessibility(page);
    await screenshot(page, 'dashboard-live');

    await waitFor(() => bot.accepted().length === 2, 15_000, 'both delivered');
    await line.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Event' }).waitFor();
    const attempts = page.locator('section[data-sink="bot"] tbody tr');
    await attempts.first().waitFor();
    expect(await attempts.count()).toBe(1);
    expect(await attempts.first().locator('td').nth(3).textContent()).toBe('ok');
    expect(await page.locator('pre.payload').textContent()).toContain('"user_name": "user777"');
    await page.getByRole('button', { name: 'Show the exact text' }).click();
    const exact = await relay.store.getEvent(followId);
    expect(JSON.parse((await page.locator('pre.payload').textContent())!)).toEqual(
      JSON.parse(JSON.stringify(exact!.envelope)),
    );
    expect(await page.locator('pre.payload').textContent()).toContain('"user_name":"user777"');
    await checkAccessibility(page);
    await screenshot(page, 'dashboard-event');
    expect(errors).toEqual([]);
  }, 90_000);

  it('replays a dead delivery from the Event page (received once), and all dead from the Deliveries page after a confirmation that says how many', async () => {
    const { relay, bot, page, errors, dialogs } = await setUp([0.05]);
    bot.up = false;
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) ids.push(await postEvent(relay.url, TEST_SECRET, follow(String(i))));
    await waitFor(
      async () => (await relay.store.listDead({ sink: 'bot' })).length === 3,
      15_000,
      'three dead deliveries',
    );
    bot.up = true;

    await page.goto(`${relay.url}/dashboard/#/event/${ids[0]}`);
    await page.locator('section[data-sink="bot"] h3', { hasText: 'dead' }).waitFor();
    expect(await page.locator('section[data-sink="bot"] tbody tr').count()).toBe(2);
    expect(await page.locator('section[data-sink="bot"] pre.answer').first().textContent()).toBe(
      'bot is restarting',
    );
    await screenshot(page, 'dashboard-event-dead');
    await page.getByRole('button', { name: 'Replay to bot' }).click();
    await page.locator('#replay-status', { hasText: 'queued again for bot' }).waitFor();
    await waitFor(() => bot.accepted().length === 1, 15_000, 'the replayed delivery');
    await page.locator('section[data-sink="bot"] h3', { hasText: 'delivered' }).waitFor();
    expect(bot.accepted()).toEqual([ids[0]]);

    await page.getByRole('navigation').getByRole('link', { name: 'Deliveries', exact: true }).click();
    await page.locator('#deliveries-counts', { hasText: '0 pending, 2 dead' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    await checkAccessibility(page);
    await screenshot(page, 'dashboard-deliveries');
    await page.getByRole('button', { name: 'Replay all dead' }).click();
    await page.locator('#deliveries-message', { hasText: '2 queued again for bot' }).waitFor();
    expect(dialogs).toEqual(['Replay 2 dead deliveries to bot?']);
    await waitFor(() => bot.accepted().length === 3, 15_000, 'the bulk replay');
    expect([...bot.accepted()].sort()).toEqual([...ids].sort());
    // Each was received once.
    expect(new Set(bot.accepted()).size).toBe(3);
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows a failing sink on the Sinks page; when the consumer is back the pending backlog is sent at once, in order', async () => {
    const { relay, bot, page, errors } = await setUp([0.05, 600, 600]);
    bot.up = false;
    const backlog: string[] = [];
    for (let i = 1; i <= 3; i++) backlog.push(await postEvent(relay.url, TEST_SECRET, follow(String(i))));
    await waitFor(() => bot.requests.length === 6, 15_000, 'two failed attempts each');

    await page.getByRole('navigation').getByRole('link', { name: 'Sinks', exact: true }).click();
    const row = page.locator('tr[data-sink="bot"]');
    await row.locator('.sink-state', { hasText: 'failing' }).waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('3');
    expect(await row.textContent()).toContain('HTTP 503');
    await checkAccessibility(page);
    await screenshot(page, 'dashboard-sinks-failing');

    bot.up = true;
    const trigger = await postEvent(relay.url, TEST_SECRET, follow('4'));
    await waitFor(() => bot.accepted().length === 4, 15_000, 'the backlog');
    expect(bot.accepted()).toEqual([trigger, ...backlog]);
    await page.reload();
    await row.locator('.sink-state', { hasText: 'healthy' }).waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('0');
    await screenshot(page, 'dashboard-sinks');
    expect(errors).toEqual([]);
  }, 90_000);
});
