import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getRawData } from '@twurple/common';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sendWebhook } from '../../src/admin/test-events/send-webhook.js';
import { sampleMessages } from '../../src/admin/test-events/sample-messages.js';
import { typedEventClass } from '../../src/sinks/module/typed-events.js';
import { CATALOG } from '../../src/twitch/catalog.js';
import { DEFAULT_SAMPLE_CONTEXT, SAMPLES, sampleEvent } from '../../src/twitch/samples/index.js';
import { buildWebhookRequest } from '../../src/twitch/webhook-request.js';
import { FAST_RETRY, writeSinksConfig } from '../support/config-file.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { FIXTURES_DIR, fixture, signedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const NO_TWURPLE_CLASS = [
  'channel.custom_power_up_redemption.add@1',
  'channel.guest_star_guest.update@beta',
  'channel.guest_star_session.begin@beta',
  'channel.guest_star_session.end@beta',
  'channel.guest_star_settings.update@beta',
  'channel.moderate@1',
  'conduit.shard.disabled@1',
];
const KEYS = CATALOG.map((entry) => `${entry.type}@${entry.version}`);

/** What the handler module below hands the test: every (typed event, envelope) the sink dispatched. */
interface Seen {
  event: object | null;
  envelope: { id: string; type: string; version: string };
}
const seen = (): Seen[] => ((globalThis as Record<string, unknown>).__triggerSamplesSeen ??= []) as Seen[];

/** Every getter a twurple event class defines (its own and inherited, below DataObject). */
function getterNames(object: object): string[] {
  const names: string[] = [];
  for (let proto = Object.getPrototypeOf(object); proto && proto.constructor.name !== 'DataObject';) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto)))
      if (descriptor.get) names.push(name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

describe('the sample payloads behind `eventsub-relay trigger`', () => {
  it('cover exactly the catalog: one sample per type and version', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...KEYS].sort());
  });

  it.each(KEYS.filter((key) => existsSync(join(FIXTURES_DIR, fixtureName(key)))))(
    '%s is Twitch’s documented example (shared/fixtures/twitch)',
    (key) => {
      const documented = (fixture(fixtureName(key)) as { event: Record<string, string> }).event;
      const [type, version] = key.split('@') as [string, string];
      const broadcasterId =
        documented.broadcaster_user_id ?? documented.to_broadcaster_user_id ?? documented.user_id;
      const clientId = documented.client_id;
      expect(sampleEvent(type, version, { broadcasterId, ...(clientId && { clientId }) })).toEqual(
        documented,
      );
    },
  );

  it('--broadcaster moves the event and the condition to that channel', () => {
    const [message] = sampleMessages(
      CATALOG.find((e) => e.type === 'channel.follow')!,
      'notification',
      1,
      {
        broadcasterId: '4242',
      },
    );
    const body = JSON.parse(message!.body);
    expect(body.subscription.condition).toEqual({ broadcaster_user_id: '4242', moderator_user_id: '4242' });
    expect(body.event.broadcaster_user_id).toBe('4242');
  });
});

function fixtureName(key: string): string {
  const [type, version] = key.split('@');
  return `notification.${type}.v${version}.json`;
}

describe('every catalog type, sent to the real relay, reaches a module sink as a typed twurple object', () => {
  let relay: Awaited<ReturnType<typeof startTestRelay>>;
  const cleanups: (() => void)[] = [];
  const sent = new Map<string, { key: string; event: Record<string, unknown> }>();

  beforeAll(async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const handlers = join(dir.path, 'handlers.mjs');
    writeFileSync(
      handlers,
      `export default (relay) => relay.onAny((event, envelope) => { globalThis.__triggerSamplesSeen ??= []; globalThis.__triggerSamplesSeen.push({ event, envelope }); });\n`,
    );
    relay = await startTestRelay({
      CONFIG_FILE: writeSinksConfig(
        [{ name: 'bot', kind: 'module', path: handlers, retry: FAST_RETRY }],
        cleanups,
      ),
    });
    for (const entry of CATALOG) {
      const [message] = sampleMessages(entry, 'notification', 1, {});
      const request = buildWebhookRequest({
        secret: TEST_SECRET,
        messageType: message!.messageType,
        body: message!.body,
        subscriptionType: entry.type,
        subscriptionVersion: entry.version,
      });
      const answer = await sendWebhook(`${relay.url}/callback`, request);
      expect([`${entry.type}@${entry.version}`, answer.status]).toEqual([
        `${entry.type}@${entry.version}`,
        204,
      ]);
      const body = JSON.parse(message!.body);
      sent.set(request.messageId, {
        key: `${entry.type}@${entry.version}`,
        event: body.event ?? body.events[0].data,
      });
    }
    await waitFor(
      () => new Set(seen().map((s) => s.envelope.id)).size === sent.size,
      20_000,
      'every event handled',
    );
  });
  afterAll(async () => {
    await relay.close();
    for (const cleanup of cleanups) cleanup();
  });

  it('stores each one once, delivered to the sink', async () => {
    expect(await relay.store.countEvents()).toBe(KEYS.length);
    // The handler ran before its success was recorded: wait for the record.
    await waitFor(
      async () => {
        for (const id of sent.keys())
          if ((await relay.store.getEvent(id))!.deliveries[0]!.status !== 'delivered') return false;
        return true;
      },
      20_000,
      'every delivery recorded as delivered',
    );
  });

  it.each(KEYS)('%s', (key) => {
    const [id, { event: raw }] = [...sent].find(([, s]) => s.key === key)!;
    const handled = seen().filter((s) => s.envelope.id === id);
    expect(handled).toHaveLength(1);
    const typed = handled[0]!.event!;
    const [type, version] = key.split('@') as [string, string];
    const expected = typedEventClass(type, version, raw);
    if (!expected) {
      // Betas, conduits, the custom Power-up and channel.moderate v1 have no twurple class: handlers get the raw event.
      expect(NO_TWURPLE_CLASS).toContain(key);
      expect(typed).toEqual(raw);
      return;
    }
    expect(typed).toBeInstanceOf(expected.class);
    expect(getRawData(typed as never)).toEqual(raw);
    // The sample has what twurple reads: every getter of the class works on it.
    for (const name of getterNames(typed))
      expect([name, () => (typed as never)[name]]).not.toEqual([name, expect.any(Error)]);
    for (const name of getterNames(typed)) expect(() => (typed as never)[name]).not.toThrow();
    // …and it is the channel trigger sent it for (the docs example of donate names it broadcaster_user_id,
    // which twurple does not read).
    if ('broadcasterId' in typed && key !== 'channel.charity_campaign.donate@1')
      expect(typed.broadcasterId).toBe(DEFAULT_SAMPLE_CONTEXT.broadcasterId);
  });
});

describe('batched notifications (drop.entitlement.grant)', () => {
  it('a batch that is not `events: [{ id, data }, …]` is 400 invalid_payload and stores nothing', async () => {
    const relay = await startTestRelay();
    try {
      const entry = CATALOG.find((e) => e.type === 'drop.entitlement.grant')!;
      const { subscription } = JSON.parse(sampleMessages(entry, 'notification', 1, {})[0]!.body);
      for (const events of [[], [{ id: 'x' }], 'not-an-array']) {
        const request = signedRequest(TEST_SECRET, { subscription, events });
        const response = await fetch(`${relay.url}/callback`, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        expect(response.status).toBe(400);
        expect(((await response.json()) as { error: string }).error).toBe('invalid_payload');
      }
      expect(await relay.store.countEvents()).toBe(0);
    } finally {
      await relay.close();
    }
  });
});
