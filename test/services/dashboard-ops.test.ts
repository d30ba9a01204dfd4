import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { withoutFakeTwitchNote } from '../support/cli-harness.js';
import {
  launchChromium,
  openPage,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/dashboard-browser.js';
import { FakeTwitch } from '../support/fake-twitch.js';
import { freePort, runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

// One relay process, a fake Twitch and a consumer for the whole file: the pages are visited in turn.
jest.setTimeout(120_000);

const TOKEN = 'dashboard-ops-token-0123456789abcdef';
const BROADCASTER = { id: '1337', login: 'streamer' };

const dir = tempDir();
let twitch: FakeTwitch;
let consumer: Server;
const received: string[] = [];
let relay: RelayProcess;
let env: Record<string, string>;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  twitch = await new FakeTwitch().start();
  consumer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => consumer.listen(0, '127.0.0.1', resolve));
  const port = String(await freePort());
  writeFileSync(
    join(dir.path, 'eventsub-relay.yml'),
    'subscriptions:\n  - { type: channel.follow, broadcaster: streamer }\n  - { type: stream.online, broadcaster: streamer }\n' +
      'streams:\n  - name: overlay\n',
  );
  env = {
    DATA_DIR: dir.path,
    PORT: port,
    TWURPLE_MOCK_API_PORT: String(twitch.port),
    TWITCH_CLIENT_ID: twitch.clientId,
    TWITCH_CLIENT_SECRET: twitch.clientSecret,
    // The fake Twitch calls this relay's /callback (challenges), as Twitch would call PUBLIC_URL.
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    EVENTSUB_SECRET: 'dashboard-ops-secret-0123456789',
    DASHBOARD_TOKEN: TOKEN,
    FORWARD_URL: `http://127.0.0.1:${(consumer.address() as AddressInfo).port}/hook`,
  };
  const token = twitch.addUser(BROADCASTER, ['moderator:read:followers']);
  const added = await cli(['auth', 'add', '--access-token', token]);
  expect(added.code).toBe(0);
  relay = await startRelayProcess(env, { cwd: dir.path });
  browser = await launchChromium();
  ({ page, errors } = await openPage(browser));
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.url });
  await page.goto(`${relay.url}/dashboard/#token=${TOKEN}`);
  await page.getByRole('navigation', { name: 'Dashboard pages' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  relay?.child.kill('SIGTERM');
  await relay?.exited;
  await new Promise((resolve) => consumer?.close(resolve));
  await twitch?.stop();
  dir.cleanup();
});

/** The CLI as a process with the relay's environment (it finds the relay and acts through it). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return withoutFakeTwitchNote(await runCli(args, env, { cwd: dir.path }), env, args);
}

async function open(path: string, title: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: title, exact: true }).click();
  await page.waitForURL(`**/dashboard/#/${path}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

describe('the operating pages in headless Chromium', () => {
  it('Subscriptions: the sync preview is `sync --dry-run`; applied, Twitch shows them enabled', async () => {
    await open('subscriptions', 'Subscriptions');
    await page.locator('#twitch-subscriptions').waitFor();
    expect(await page.locator('#config-subscriptions tbody tr').count()).toBe(2);
    await page.getByLabel('allow a callback that is not https on 443 (local tests)').check();
    await page.getByRole('button', { name: 'Preview plan' }).click();
    const preview = await page.locator('#sync-plan-text').textContent();
    const dry = await cli(['sync', '--dry-run', '--allow-insecure-callback']);
    expect(dry.stderr).toBe('');
    expect(preview).toBe(dry.stdout);
    expect(preview).toContain('2 change(s) planned');
    expect(twitch.eventSubRequests('POST')).toHaveLength(0);

    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#sync-applied').waitFor();
    expect(await page.locator('#sync-applied').textContent()).toContain('applied 2 change(s)');
    // The fake Twitch challenges the relay's /callback; the relay answers, Twitch enables them.
    await waitFor(() => twitch.subscriptions.every((s) => s.status === 'enabled'), 15_000, 'enabled');
    await page.reload();
    await page.locator('#twitch-subscriptions tbody tr').first().waitFor();
    expect(await page.locator('#twitch-subscriptions td.status').allTextContents()).toEqual([
      'enabled',
      'enabled',
    ]);
    // The form knows channel.follow's condition fields and that the stored token has its scope.
    await page.getByLabel('Type').selectOption({ label: 'channel.follow v2' });
    expect(await page.locator('#add-fields input').evaluateAll((inputs) => inputs.map((i) => i.id))).toEqual([
      'cond-broadcaster_user_id',
      'cond-moderator_user_id',
    ]);
    expect(await page.locator('#add-scopes').textContent()).toContain('✔ streamer has the scopes');
    await page.getByLabel('Type').selectOption({ label: 'channel.subscribe v1' });
    expect(await page.locator('#add-scopes').textContent()).toContain(
      '✗ streamer lacks channel:read:subscriptions',
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-subscriptions');
  });

  it('Test: an edited chat message goes through /callback, is stored and reaches the consumer as text', async () => {
    await open('test', 'Test');
    await page.getByLabel('Event type').selectOption('channel.chat.message@1');
    await page.getByRole('textbox', { name: 'User name' }).fill('Bob_Builder');
    await page.getByRole('textbox', { name: 'Message' }).fill('<img src=x onerror=alert(1)>');
    await page.getByRole('button', { name: 'Send test event' }).click();
    const id = (await page.locator('#test-result .message-id').textContent())!;
    expect(await page.locator('#test-result li').textContent()).toContain('204, accepted');
    await waitFor(() => received.some((body) => body.includes(id)), 15_000, 'the consumer');
    const delivered = JSON.parse(received.find((body) => body.includes(id))!);
    expect(delivered.event).toMatchObject({
      chatter_user_name: 'Bob_Builder',
      message: { text: '<img src=x onerror=alert(1)>' },
    });
    const shown = await cli(['events', 'show', id, '--json']);
    expect(JSON.parse(shown.stdout).envelope.event.chatter_user_login).toBe('bob_builder');
    expect(await page.locator('#test-result img').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-test');

    // In the Live feed, found by its message id, the message shown as text.
    await open('live', 'Live');
    await page.locator('#live-search').fill(id);
    const line = page.locator(`tr[data-id="${id}"]`);
    await line.waitFor();
    expect(await line.locator('.message-text').textContent()).toBe('<img src=x onerror=alert(1)>');
    expect(await page.locator('main img').count()).toBe(0);
  });

  it('Health: the charts of the last hour and the doctor report with its fixes', async () => {
    await open('health', 'Health');
    const charts = page.locator('svg.chart');
    await charts.first().waitFor();
    expect(await charts.count()).toBe(3);
    const events = (await charts.nth(0).getAttribute('aria-label'))!;
    expect(events).toMatch(/^Events per minute: latest [1-9]\d*, peak [1-9]\d* over the last 60 minutes$/);
    expect(await charts.nth(0).locator('rect').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Run doctor' }).click();
    await page.locator('#doctor-report .findings').waitFor({ timeout: 60_000 });
    const config = page.locator('#doctor-report li[data-id="config"]');
    expect(await config.getAttribute('data-status')).toBe('ok');
    // http PUBLIC_URL on a port other than 443: doctor's TLS hop fails and says what to do.
    expect(await page.locator('#doctor-report .fix').count()).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-health');
  });

  it('Streams: the overlay URL is copied with its token; connected clients are counted', async () => {
    const streamToken = readFileSync(join(dir.path, 'stream-token-overlay'), 'utf8').trim();
    const listener = new AbortController();
    const stream = await fetch(`${relay.url}/stream/overlay?token=${streamToken}`, {
      signal: listener.signal,
    });
    expect(stream.status).toBe(200);
    try {
      await open('streams', 'Streams');
      const row = page.locator('tr[data-stream="overlay"]');
      expect(await row.locator('.clients').textContent()).toBe('1 / 10');
      expect(await row.textContent()).not.toContain(streamToken);
      await row.getByRole('button', { name: 'Copy URL of overlay' }).click();
      await row.getByText('copied').waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(
        `${relay.url}/overlay/?stream=overlay&token=${streamToken}`,
      );
      await row.getByRole('button', { name: 'Show token of overlay' }).click();
      await row.locator('code.token:not([hidden])').waitFor();
      expect(await row.locator('code.token').textContent()).toBe(streamToken);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'dashboard-streams');
    } finally {
      listener.abort();
    }
    expect(errors).toEqual([]);
  });
});
