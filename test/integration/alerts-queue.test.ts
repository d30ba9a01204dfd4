import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { fixture } from '../support/sign.js';
import { postEvent } from '../support/stream-relay.js';
import { waitFor } from '../support/wait-for.js';
import {
  openAlerts,
  OVERLAY_TOKEN,
  queueMessages,
  shownTitles,
  withEvent,
  writeAlertsConfig,
} from '../support/alerts-relay.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayWith(alerts: Record<string, unknown> | undefined, env: Record<string, string> = {}) {
  const files: (() => void)[] = [];
  cleanups.push(() => files.forEach((f) => f()));
  const relay = await startTestRelay({ CONFIG_FILE: writeAlertsConfig(alerts, files), ...env });
  cleanups.push(() => relay.close());
  return relay;
}

describe('the alert queue the relay owns (/overlay/<stream>/alerts)', () => {
  it('plays three quick events one after another, in the order they arrived, each once', async () => {
    const relay = await relayWith({ duration: 300, gap: 0 });
    const page = await openAlerts(relay.url);
    cleanups.push(() => page.close());
    expect(page.status).toBe(200);
    await postEvent(
      relay.url,
      TEST_SECRET,
      withEvent('notification.channel.follow.v2.json', { user_name: 'First' }),
    );
    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.cheer.v1.json'));
    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.raid.v1.json'));
    await waitFor(
      () => shownTitles(queueMessages(page)).length === 3 && queueMessages(page).at(-1)?.current === null,
    );
    expect(shownTitles(queueMessages(page))).toEqual([
      'First just followed!',
      'Cool_User cheered 1000 bits!',
      'Cool_User is raiding!',
    ]);
  }, 30_000);

  it('gives one alert for a gift bomb of 20, not one per gifted sub', async () => {
    const relay = await relayWith({ duration: 200, gap: 0 });
    const page = await openAlerts(relay.url);
    cleanups.push(() => page.close());
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
          user_id: `9${i}`,
          user_name: `gifted${i}`,
        }),
      );
    await postEvent(
      relay.url,
      TEST_SECRET,
      withEvent('notification.channel.follow.v2.json', { user_name: 'After' }),
    );
    await waitFor(() => shownTitles(queueMessages(page)).includes('After just followed!'));
    expect(shownTitles(queueMessages(page))).toEqual(['Cool_User gifted 20 subs!', 'After just followed!']);
  }, 30_000);

  it('tells a page that reconnects mid-alert the same alert with less time left, then the next: none repeated, none dropped', async () => {
    const relay = await relayWith({ duration: 1500, gap: 0 });
    const first = await openAlerts(relay.url);
    cleanups.push(() => first.close());
    for (const name of ['One', 'Two', 'Three'])
      await postEvent(
        relay.url,
        TEST_SECRET,
        withEvent('notification.channel.follow.v2.json', { user_name: name }),
      );
    await waitFor(() => queueMessages(first).some((m) => m.current?.title === 'One just followed!'));
    const before = queueMessages(first).find((m) => m.current)!.current!;
    first.close();

    const second = await openAlerts(relay.url);
    cleanups.push(() => second.close());
    await waitFor(() => queueMessages(second).length > 0);
    const resumed = queueMessages(second)[0]!;
    expect(resumed.current?.play).toBe(before.play);
    expect(resumed.current?.title).toBe('One just followed!');
    expect(resumed.current!.remainingMs).toBeLessThanOrEqual(before.remainingMs);
    expect(resumed.current!.elapsedMs).toBeGreaterThanOrEqual(before.elapsedMs);
    await waitFor(
      () => queueMessages(second).at(-1)?.current === null && shownTitles(queueMessages(second)).length === 3,
    );
    expect(shownTitles(queueMessages(second))).toEqual([
      'One just followed!',
      'Two just followed!',
      'Three just followed!',
    ]);
  }, 30_000);

  it('refuses a page without the stream token: 401, and no alert is sent to it', async () => {
    const relay = await relayWith({ duration: 200 });
    const page = await openAlerts(relay.url, 'overlay', 'wrong-token-value-1234');
    cleanups.push(() => page.close());
    await page.ended;
    expect(page.status).toBe(401);
    expect(JSON.parse(page.text())).toMatchObject({ error: 'unauthorized' });
    expect(page.text()).not.toContain(OVERLAY_TOKEN);
    expect(queueMessages(page)).toEqual([]);
  }, 30_000);

  it('tests, skips, pauses and resumes through the queue the relay exposes', async () => {
    const relay = await relayWith({ duration: 60_000, gap: 0 });
    const queue = relay.alerts.queue('overlay')!;
    const page = await openAlerts(relay.url);
    cleanups.push(() => page.close());
    queue.test('channel.cheer', { user: 'Foo', amount: '500' });
    queue.test('channel.follow', { user: 'Bar' });
    await waitFor(() => queueMessages(page).some((m) => m.current?.title === 'Foo cheered 500 bits!'));
    expect(queue.snapshot().waiting.map((a) => a.title)).toEqual(['Bar just followed!']);
    queue.pause();
    expect(queue.skip()?.title).toBe('Foo cheered 500 bits!');
    await waitFor(
      () => queueMessages(page).at(-1)?.paused === true && queueMessages(page).at(-1)?.current === null,
    );
    expect(queue.snapshot().waiting).toHaveLength(1);
    queue.resume();
    await waitFor(() => queueMessages(page).at(-1)?.current?.title === 'Bar just followed!');
    expect(shownTitles(queueMessages(page))).toEqual(['Foo cheered 500 bits!', 'Bar just followed!']);
  }, 30_000);

  it('replays a shown alert by its event id, next after the one on screen', async () => {
    const relay = await relayWith({ duration: 200, gap: 0 });
    const page = await openAlerts(relay.url);
    cleanups.push(() => page.close());
    const id = await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.raid.v1.json'));
    await waitFor(
      () => queueMessages(page).at(-1)?.current === null && shownTitles(queueMessages(page)).length === 1,
    );
    const replay = await relay.alerts.queue('overlay')!.replay(id);
    expect(replay).toMatchObject({ origin: 'replay', eventId: id, title: 'Cool_User is raiding!' });
    await waitFor(() => shownTitles(queueMessages(page)).length === 2);
    expect(shownTitles(queueMessages(page))).toEqual(['Cool_User is raiding!', 'Cool_User is raiding!']);
  }, 30_000);

  it('keeps its position across a restart: the waiting alerts show after it, the shown ones do not', async () => {
    const files: (() => void)[] = [];
    cleanups.push(() => files.forEach((f) => f()));
    const configFile = writeAlertsConfig({ duration: 2000, gap: 0 }, files);
    const first = await startTestRelay({ CONFIG_FILE: configFile });
    const dataDir = first.config.dataDir;
    const page = await openAlerts(first.url);
    for (const name of ['Before', 'Waiting1', 'Waiting2'])
      await postEvent(
        first.url,
        TEST_SECRET,
        withEvent('notification.channel.follow.v2.json', { user_name: name }),
      );
    await waitFor(() => queueMessages(page).some((m) => m.current?.title === 'Before just followed!'));
    page.close();
    await first.stop();
    const position = join(dataDir, 'alerts-position-overlay.json');
    expect(existsSync(position)).toBe(true);
    expect(JSON.parse(readFileSync(position, 'utf8'))).toMatchObject({ current: { seq: 1 } });

    const second = await startTestRelay({ CONFIG_FILE: configFile, DATA_DIR: dataDir });
    cleanups.push(() => second.close());
    cleanups.push(() => first.close().catch(() => undefined));
    const after = await openAlerts(second.url);
    cleanups.push(() => after.close());
    await waitFor(() => shownTitles(queueMessages(after)).includes('Waiting2 just followed!'), 20_000);
    const titles = shownTitles(queueMessages(after));
    expect(titles.filter((t) => t === 'Waiting1 just followed!')).toHaveLength(1);
    expect(titles.slice(-2)).toEqual(['Waiting1 just followed!', 'Waiting2 just followed!']);
  }, 40_000);
});
