import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { fixture } from '../support/sign.js';
import { postEvent } from '../support/stream-relay.js';
import { waitFor } from '../support/wait-for.js';
import { OVERLAY_TOKEN, withEvent, writeAlertsConfig } from '../support/alerts-relay.js';
import {
  launchChromium,
  openOverlay,
  pageRecord,
  recordAlerts,
  samplePayload,
  screenshotPath,
} from '../support/alerts-browser.js';

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

async function relayAndPage(alerts: Record<string, unknown> | undefined) {
  const files: (() => void)[] = [];
  cleanups.push(() => files.forEach((f) => f()));
  const relay = await startTestRelay({ CONFIG_FILE: writeAlertsConfig(alerts, files) });
  cleanups.push(() => relay.close());
  const page: Page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  cleanups.push(() => page.close());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await recordAlerts(page);
  await openOverlay(page, `${relay.url}/overlay/?stream=overlay&token=${OVERLAY_TOKEN}`);
  return { relay, page, errors };
}

/** Runs in the page: no animation running, and the card's image (if any) decoded. */
const SETTLED = `document.getAnimations().every((a) => a.playState === 'finished') &&
  (document.querySelector('.alert-image').hidden ||
    (document.querySelector('.alert-image').complete && document.querySelector('.alert-image').naturalWidth > 0))`;

/** Posts an event, waits until the card shows it, returns what the page showed. */
async function showAndCapture(
  setup: Awaited<ReturnType<typeof relayAndPage>>,
  payload: unknown,
  screenshot: string,
) {
  const { relay, page } = setup;
  const before = (await pageRecord(page)).shown.length;
  await postEvent(relay.url, TEST_SECRET, payload);
  await waitFor(async () => (await pageRecord(page)).shown.length > before, 15_000, 'the alert');
  const shown = (await pageRecord(page)).shown.at(-1)!;
  // The picture is taken once the entry animation ended and the image loaded.
  await waitFor(async () => (await page.evaluate(SETTLED)) === true, 15_000, 'the card to settle');
  await page.locator('#alert').screenshot({ path: screenshotPath(screenshot) });
  relay.alerts.queue('overlay')!.skip();
  await page.waitForSelector('#alert[hidden]', { state: 'attached', timeout: 15_000 });
  return shown;
}

describe('the default alerts in headless Chromium (no alerts: in the config)', () => {
  it('renders each default alert type with its text, image and look (a screenshot per type)', async () => {
    const setup = await relayAndPage({ duration: 60_000, gap: 0 });
    const cases: {
      name: string;
      payload: unknown;
      title: string;
      message: string;
      kind: string;
      icon: string;
    }[] = [
      {
        name: 'follow',
        payload: fixture('notification.channel.follow.v2.json'),
        title: 'Cool_User just followed!',
        message: 'Welcome to the community',
        kind: 'follow',
        icon: 'follow',
      },
      {
        name: 'subscribe',
        payload: fixture('notification.channel.subscribe.v1.json'),
        title: 'Cool_User subscribed!',
        message: 'Tier 1',
        kind: 'sub',
        icon: 'sub',
      },
      {
        name: 'resub',
        payload: samplePayload('channel.subscription.message', '1'),
        title: 'Cool_User resubscribed for 15 months!',
        message: 'Love the stream! FevziGG',
        kind: 'resub',
        icon: 'sub',
      },
      {
        name: 'gift',
        payload: fixture('notification.channel.subscription.gift.v1.json'),
        title: 'Cool_User gifted 2 subs!',
        message: 'Tier 1 gift subs to the community',
        kind: 'gift',
        icon: 'gift',
      },
      {
        name: 'cheer',
        payload: withEvent('notification.channel.cheer.v1.json', {
          message: 'Cheer100 great stream Kappa900',
        }),
        title: 'Cool_User cheered 1000 bits!',
        message: '100 bits great stream 900 bits',
        kind: 'cheer',
        icon: 'cheer',
      },
      {
        name: 'bits-use-cheer',
        payload: samplePayload('channel.bits.use', '1', { user_name: 'Bits_User', user_id: '777' }),
        title: 'Bits_User cheered 2 bits!',
        message: '1 bit hi 1 bit',
        kind: 'cheer',
        icon: 'cheer',
      },
      {
        name: 'bits-use-power-up',
        payload: samplePayload('channel.bits.use', '1', {
          type: 'power_up',
          bits: 50,
          power_up: {
            type: 'gigantify_an_emote',
            emote: { id: '1', name: 'Kappa' },
            message_effect_id: null,
          },
          message: { text: '', fragments: [] },
        }),
        title: 'Cool_User used a Gigantified Emote for 50 bits!',
        message: '',
        kind: 'power-up',
        icon: 'cheer',
      },
      {
        name: 'raid',
        payload: fixture('notification.channel.raid.v1.json'),
        title: 'Cool_User is raiding!',
        message: 'with 9001 viewers',
        kind: 'raid',
        icon: 'raid',
      },
      {
        name: 'redemption',
        payload: withEvent('notification.channel.channel_points_custom_reward_redemption.add.v1.json', {
          reward: { id: 'r1', title: 'Hydrate', cost: 500, prompt: 'Drink water' },
        }),
        title: 'Cooler_User redeemed Hydrate',
        message: 'pogchamp',
        kind: 'redemption',
        icon: 'points',
      },
      {
        name: 'hype-train-begin',
        payload: samplePayload('channel.hype_train.begin', '2'),
        title: 'A Hype Train has started!',
        message: 'Level 1: 137 / 500',
        kind: 'hype-train',
        icon: 'hype',
      },
      {
        name: 'hype-train-end',
        payload: samplePayload('channel.hype_train.end', '2', { level: 3, total: 2400 }),
        title: 'The Hype Train reached level 3!',
        message: 'Thank you all: 2400 points',
        kind: 'hype-train-end',
        icon: 'hype',
      },
      {
        name: 'charity',
        payload: samplePayload('channel.charity_campaign.donate', '1'),
        title: 'GenerousUser1 donated $100.00!',
        message: 'to Example name',
        kind: 'charity',
        icon: 'charity',
      },
    ];
    for (const expected of cases) {
      const shown = await showAndCapture(setup, expected.payload, `alerts-type-${expected.name}.png`);
      expect({ name: expected.name, ...shown }).toMatchObject({
        name: expected.name,
        title: expected.title,
        message: expected.message,
        kind: `alert alert-${expected.kind}`,
        image: `${setup.relay.url}/overlay/assets/${expected.icon}.svg`,
      });
    }
    const { played } = await pageRecord(setup.page);
    expect(played).toHaveLength(cases.length);
    expect(setup.errors).toEqual([]);
  }, 180_000);

  it('fills the templates of configured rules: the first matching rule wins, variations by amount and by reward', async () => {
    const setup = await relayAndPage({
      duration: 60_000,
      gap: 0,
      rules: [
        {
          type: 'channel.cheer',
          min: { amount: 1000 },
          kind: 'big-cheer',
          title: 'BIG {user} x{amount}',
          message: '{message} ({bits}) {{braces}}',
          style: { '--alert-background': 'linear-gradient(135deg, #111, #444)' },
        },
        {
          type: 'channel.channel_points_custom_reward_redemption.add',
          reward: 'hydrate',
          title: '{user}: drink water!',
        },
        { type: 'channel.follow', show: false },
      ],
    });
    const big = await showAndCapture(
      setup,
      fixture('notification.channel.cheer.v1.json'),
      'alerts-template-big-cheer.png',
    );
    expect(big).toMatchObject({
      title: 'BIG Cool_User x1000',
      message: 'pogchamp (1000 bits) {braces}',
      kind: 'alert alert-big-cheer',
    });
    const small = await showAndCapture(
      setup,
      withEvent('notification.channel.cheer.v1.json', { bits: 500, message: 'Cheer500' }),
      'alerts-template-small-cheer.png',
    );
    expect(small).toMatchObject({
      title: 'Cool_User cheered 500 bits!',
      message: '500 bits',
      kind: 'alert alert-cheer',
    });
    const hydrate = await showAndCapture(
      setup,
      withEvent('notification.channel.channel_points_custom_reward_redemption.add.v1.json', {
        reward: { id: 'r1', title: 'Hydrate', cost: 500, prompt: '' },
      }),
      'alerts-template-hydrate.png',
    );
    expect(hydrate).toMatchObject({ title: 'Cooler_User: drink water!', message: 'pogchamp' });
    // A hidden type gives no alert: the follow is stored, the next alert is the raid.
    await postEvent(setup.relay.url, TEST_SECRET, fixture('notification.channel.follow.v2.json'));
    const raid = await showAndCapture(
      setup,
      fixture('notification.channel.raid.v1.json'),
      'alerts-template-raid.png',
    );
    expect(raid.title).toBe('Cool_User is raiding!');
    expect((await pageRecord(setup.page)).shown.map((s) => s.title)).not.toContain(
      'Cool_User just followed!',
    );
    expect(setup.errors).toEqual([]);
  }, 120_000);
});
