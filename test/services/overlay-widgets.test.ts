import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { sample } from '../support/sample-payloads.js';
import { fixture } from '../support/sign.js';
import { postEvent, writeStreamsConfig } from '../support/stream-relay.js';
import { waitFor } from '../support/wait-for.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUTPUT_DIR = join(here, '..', '..', 'test-output');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TOKEN = 'widget-token-0f9e8d7c6b5a4321';

/** Debian's chromium; streampc.lan resolves to loopback, as a LAN name would to the relay's PC. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--host-resolver-rules=MAP streampc.lan 127.0.0.1',
];

let relay: Awaited<ReturnType<typeof startTestRelay>>;
let browser: Browser;
let origin: string;
const files: (() => void)[] = [];

beforeAll(async () => {
  const configFile = writeStreamsConfig([{ name: 'overlay', token: TOKEN }], files);
  relay = await startTestRelay({ CONFIG_FILE: configFile, HOST: '0.0.0.0' });
  origin = `http://streampc.lan:${relay.port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(OUTPUT_DIR, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await relay?.close();
  files.forEach((cleanup) => cleanup());
});

/** Opens a widget page as OBS would (by the LAN name), failing the test on any page error. */
async function open(path: string, viewport = { width: 480, height: 300 }) {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // helmet's Cross-Origin-Opener-Policy header: Chromium ignores it on plain HTTP under a LAN
    // name and says so; the page is unaffected.
    if (message.type() === 'error' && !message.text().startsWith('The Cross-Origin-Opener-Policy header'))
      errors.push(message.text());
  });
  await page.goto(`${origin}/overlay/${path}${path.includes('?') ? '&' : '?'}stream=overlay&token=${TOKEN}`);
  await page.waitForSelector('body[data-state="connected"]', { timeout: 15_000 });
  return { page, errors };
}

/** axe-core's violations on the page (serious and critical ones fail). */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a <script>: the relay's CSP (script-src 'self') blocks inline scripts.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  // A string, not a function: this project compiles without the DOM types.
  const result = (await page.evaluate('axe.run().then((r) => r.violations)')) as {
    id: string;
    impact: string;
  }[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

const bodyBackground = (page: Page) => page.evaluate('getComputedStyle(document.body).backgroundColor');

/**
 * Waits until the text of `selector` is `text`, polling from here: waitForFunction's string
 * predicates are eval'd in the page, which the relay's CSP forbids.
 */
async function textIs(page: Page, selector: string, text: string): Promise<void> {
  await waitFor(
    async () =>
      (await page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent`)) === text,
    15_000,
    `${selector} to read ${text}`,
  );
}

describe('the widget pages in headless Chromium, loaded as http://streampc.lan:PORT/overlay/…', () => {
  it('counters: 0 at first; follows, subs and bits since stream.online; a reload shows the same', async () => {
    const { page, errors } = await open('counters.html');
    const value = (name: string) => page.locator(`.counter-${name} dd`).textContent();
    expect(await value('follows')).toBe('0');
    await postEvent(relay.url, TEST_SECRET, fixture('notification.stream.online.v1.json'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.follow', 'user=Widget_Fan'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.subscription.gift', 'amount=5'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.bits.use', 'amount=1500'));
    await textIs(page, '.counter-bits dd', '1,500');
    expect([await value('follows'), await value('subs'), await value('bits')]).toEqual(['1', '5', '1,500']);
    expect(await bodyBackground(page)).toBe('rgba(0, 0, 0, 0)');
    await page.screenshot({ path: join(OUTPUT_DIR, 'widget-counters.png'), omitBackground: true });
    await page.reload();
    await page.waitForSelector('body[data-state="connected"]');
    await page.waitForSelector('.counter-bits dd');
    expect([await value('follows'), await value('subs'), await value('bits')]).toEqual(['1', '5', '1,500']);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('recent events: newest first, limit and types, markup in a name shown as text, a long name clamped', async () => {
    const { page, errors } = await open('recent.html?limit=4');
    await postEvent(relay.url, TEST_SECRET, sample('channel.follow', 'user=<img src=x onerror=alert(1)>'));
    await postEvent(
      relay.url,
      TEST_SECRET,
      sample('channel.cheer', 'user=Cheery', 'amount=300', 'message=Cheer100 Cheer200'),
    );
    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.raid.v1.json'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.follow', `user=${'Long_Name_'.repeat(12)}`));
    await waitFor(async () => (await page.locator('.recent-item').count()) === 4, 15_000, 'four items');
    const lines = await page.locator('.recent-item').allTextContents();
    // The earlier counters test's follow and gift are older: limit 4 shows only these four.
    expect(lines).toEqual([
      `${'Long_Name_'.repeat(12)} followed`,
      'Cool_User raided with 9001 viewers',
      'Cheery cheered 300 bits',
      '<img src=x onerror=alert(1)> followed',
    ]);
    expect(await page.locator('img').count()).toBe(0);
    // The long name stays inside its box (ellipsis), the page does not scroll sideways.
    const fits = await page.evaluate(
      "(() => { const item = document.querySelector('.recent-item'); return item.scrollWidth > item.clientWidth && document.documentElement.scrollWidth <= innerWidth; })()",
    );
    expect(fits).toBe(true);
    await page.screenshot({ path: join(OUTPUT_DIR, 'widget-recent.png'), omitBackground: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();

    const only = await open('recent.html?types=cheer,raid&limit=5');
    await only.page.waitForSelector('.recent-item');
    expect(await only.page.locator('.recent-item').allTextContents()).toEqual([
      'Cool_User raided with 9001 viewers',
      'Cheery cheered 300 bits',
    ]);
    await only.page.close();
  }, 60_000);

  it('goal bar: hidden without a goal, fills with progress, stays at its end', async () => {
    const { page, errors } = await open('goal.html', { width: 600, height: 120 });
    expect(await page.locator('#goal').isHidden()).toBe(true);
    await postEvent(
      relay.url,
      TEST_SECRET,
      sample('channel.goal.begin', 'amount=10', 'goal=40', 'description=Road to 40 followers'),
    );
    await postEvent(
      relay.url,
      TEST_SECRET,
      sample('channel.goal.progress', 'amount=30', 'goal=40', 'description=Road to 40 followers'),
    );
    await textIs(page, '#goal-amounts', '30 / 40');
    expect(await page.locator('#goal-description').textContent()).toBe('Road to 40 followers');
    expect(await page.locator('#goal-fill').getAttribute('style')).toBe('width: 75%;');
    expect(await page.locator('#goal-bar').getAttribute('aria-valuenow')).toBe('30');
    // The bar grows over 0.6 s (a CSS transition): the screenshot shows where it ends.
    await page.evaluate('Promise.all(document.getAnimations().map((animation) => animation.finished))');
    await page.screenshot({ path: join(OUTPUT_DIR, 'widget-goal.png'), omitBackground: true });
    expect(await axeViolations(page)).toEqual([]);
    await postEvent(
      relay.url,
      TEST_SECRET,
      sample('channel.goal.end', 'amount=40', 'goal=40', 'description=Road to 40 followers'),
    );
    await textIs(page, '#goal-amounts', '40 / 40 — reached!');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('a wrong token: nothing shown, a visible status says why', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/overlay/counters.html?stream=overlay&token=wrong-token-value-1234`);
    await page.waitForSelector('body[data-state="reconnecting"]', { timeout: 15_000 });
    expect(await page.locator('.counter').count()).toBe(0);
    expect(await page.locator('#status').textContent()).toMatch(/not connected to|cannot read/);
    await page.close();
  }, 60_000);
});
