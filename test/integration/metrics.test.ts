import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startConsumer, type StartedConsumer } from '../../examples/consumer/consumer.mjs';
import { FAST_RETRY, TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { fixture, followNotification, postSigned, signedRequest } from '../support/sign.js';
import { waitFor } from '../support/wait-for.js';

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
const cleanups: (() => unknown)[] = [];
let relay: Relay;
let ok: StartedConsumer;
let failing: StartedConsumer;
let followId: string;

/** Prometheus text format: `name{labels} value` → value, keyed by `name{labels}` as printed. */
async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(`${relay.url}/metrics`)).text();
  return new Map(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))] as const;
      }),
  );
}

describe('/metrics people can graph', () => {
  // Inside the describe: when the PostgreSQL pass imports this file with others, they run right
  // before these tests (the oldest-pending age is measured from them).
  beforeAll(async () => {
    ok = await startConsumer({ secret: TEST_WEBHOOK_SECRET });
    failing = await startConsumer({ secret: TEST_WEBHOOK_SECRET, respond: () => 500 });
    const sink = (name: string, url: string, retry: unknown) => ({
      name,
      kind: 'http',
      url,
      secret: TEST_WEBHOOK_SECRET,
      retry,
    });
    const configFile = writeSinksConfig(
      [
        sink('ok', ok.url, FAST_RETRY),
        // Fails through its short schedule: dead.
        sink('gives-up', failing.url, FAST_RETRY),
        // Fails once, then waits an hour for its retry: pending.
        sink('waiting', failing.url, { schedule: [3600], jitter: 0 }),
      ],
      cleanups as (() => void)[],
    );
    relay = await startTestRelay({ CONFIG_FILE: configFile });
    followId = (await postSigned(relay.url, TEST_SECRET, followNotification())).messageId;
    const cheerId = (await postSigned(relay.url, TEST_SECRET, fixture('notification.channel.cheer.v1.json')))
      .messageId;
    await waitFor(async () => {
      for (const id of [followId, cheerId]) {
        const detail = await relay.store.getEvent(id);
        const status = (sink: string) => detail?.deliveries.find((d) => d.sink === sink);
        const settled =
          status('ok')?.status === 'delivered' &&
          status('gives-up')?.status === 'dead' &&
          (status('waiting')?.attempts ?? 0) >= 1;
        if (!settled) return false;
      }
      return true;
    }, 15_000);
  });
  afterAll(async () => {
    await relay.close();
    await ok.close();
    await failing.close();
    for (const cleanup of cleanups) await cleanup();
  });

  it('pending, dead and the oldest pending age per sink, read from the store at each scrape', async () => {
    const metrics = await scrape();
    expect(metrics.get('eventsub_deliveries_pending{sink="ok"}')).toBe(0);
    expect(metrics.get('eventsub_deliveries_pending{sink="waiting"}')).toBe(2);
    expect(metrics.get('eventsub_deliveries_pending{sink="gives-up"}')).toBe(0);
    expect(metrics.get('eventsub_deliveries_dead{sink="gives-up"}')).toBe(2);
    expect(metrics.get('eventsub_deliveries_dead{sink="ok"}')).toBe(0);
    const age = metrics.get('eventsub_deliveries_oldest_pending_age_seconds{sink="waiting"}')!;
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThan(60);
    expect(metrics.get('eventsub_deliveries_oldest_pending_age_seconds{sink="ok"}')).toBe(0);
  });

  it('events stored per type and the group-commit latency histogram', async () => {
    const metrics = await scrape();
    expect(
      metrics.get('eventsub_events_stored_total{type="channel.follow",message_type="notification"}'),
    ).toBe(1);
    expect(
      metrics.get('eventsub_events_stored_total{type="channel.cheer",message_type="notification"}'),
    ).toBe(1);
    expect(metrics.get('eventsub_store_commit_seconds_count')).toBe(2);
    expect(metrics.get('eventsub_store_commit_seconds_bucket{le="+Inf"}')).toBe(2);
    expect(metrics.get('eventsub_store_commit_seconds_sum')).toBeGreaterThan(0);
    // A Twitch retry of a stored message id is a duplicate: not counted as stored again.
    const detail = (await relay.store.getEvent(followId))!;
    const retry = signedRequest(
      TEST_SECRET,
      { subscription: detail.envelope.subscription, event: detail.envelope.event },
      { messageId: followId, retry: 1 },
    );
    const res = await fetch(`${relay.url}/callback`, {
      method: 'POST',
      headers: retry.headers,
      body: retry.body,
    });
    expect(res.status).toBe(204);
    const again = await scrape();
    expect(again.get('eventsub_events_stored_total{type="channel.follow",message_type="notification"}')).toBe(
      1,
    );
    expect(again.get('eventsub_callback_requests_total{outcome="duplicate"}')).toBe(1);
  });

  it('every metric the shipped Grafana dashboard queries exists in /metrics', async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../../deploy/grafana/eventsub-relay.json', import.meta.url), 'utf8'),
    ) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const queried = new Set(
      dashboard.panels.flatMap((panel) =>
        panel.targets.flatMap(
          (target) => target.expr.match(/\b(?:eventsub|process|nodejs)_[a-z0-9_]+\b/g) ?? [],
        ),
      ),
    );
    expect(queried.size).toBeGreaterThanOrEqual(10);
    const present = new Set([...(await scrape()).keys()].map((sample) => sample.replace(/\{.*$/, '')));
    const missing = [...queried].filter((name) => !present.has(name));
    expect(missing).toEqual([]);
  });
});
