import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { waitFor } from '../support/wait-for.js';
import { fixture } from '../support/sign.js';
import {
  followEvent,
  startWebSocketSetup,
  STREAMER,
  type WebSocketSetup,
} from '../support/websocket-relay.js';

// The relay runs in this process (what it does with the frames is under test, not the process:
// websocket-lifecycle.test.ts has the exit codes and restarts); the fakes are real servers.
jest.setTimeout(90_000);

let setup: WebSocketSetup;
afterEach(async () => setup?.close());

describe('TRANSPORT=websocket: events from the EventSub WebSocket reach the HTTP consumer', () => {
  it('subscribes on the welcomed session with the user token and forwards each notification once', async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.startInProcess();
    const sessionId = await setup.subscribed(2);

    // Created within the subscribe window (else the fake would have closed it with 4003), with
    // the broadcaster's user token and transport { method: websocket, session_id }.
    const creates = setup.twitch.eventSubRequests('POST').map((r) => ({
      auth: r.headers.authorization,
      body: JSON.parse(r.body) as { type: string; transport: unknown },
    }));
    expect(creates.map((c) => c.body.type).sort()).toEqual(['channel.follow', 'stream.online']);
    for (const create of creates) {
      expect(create.auth).toMatch(/^Bearer issued-access-/);
      expect(create.body.transport).toEqual({ method: 'websocket', session_id: sessionId });
    }
    expect(setup.ws.sessions.get(sessionId)?.open).toBe(true);

    const ids = [
      ...setup.ws.notify('channel.follow', followEvent('first_follower')),
      ...setup.ws.notify('stream.online', fixture('notification.stream.online.v1.json').event as never),
      ...setup.ws.notify('channel.follow', followEvent('second_follower')),
    ];
    expect(ids).toHaveLength(3);
    await waitFor(() => setup.consumer.requests.length >= 3, 15_000, 'three deliveries');
    expect([...setup.consumer.counts().entries()].sort()).toEqual(ids.map((id) => [id, 1]).sort());
    expect(setup.consumer.rejected).toBe(0);
    expect(relay.logText()).toContain('subscribed 2 subscription(s) on the WebSocket session');
  });

  it('stores the envelope a webhook would have produced: id = message_id, timestamp = message_timestamp, retry 0', async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.startInProcess();
    await setup.subscribed(2);
    const [id] = setup.ws.notify('channel.follow', followEvent('shape_check'));
    await waitFor(() => setup.consumer.requests.length === 1);
    const frame = JSON.parse(setup.ws.sent.find((s) => s.frame.includes(id!))!.frame) as {
      metadata: { message_timestamp: string };
      payload: { subscription: Record<string, unknown>; event: Record<string, unknown> };
    };
    // As stored (what `events show --json` prints; delivery-process.test.ts has the command itself).
    const envelope = JSON.parse(JSON.stringify((await relay.store.getEvent(id!))!.envelope)) as Record<
      string,
      unknown
    >;
    expect(Object.keys(envelope).sort()).toEqual(
      [
        'event',
        'id',
        'messageType',
        'receivedAt',
        'retry',
        'subscription',
        'timestamp',
        'type',
        'version',
      ].sort(),
    );
    expect(envelope).toMatchObject({
      id,
      messageType: 'notification',
      type: 'channel.follow',
      version: '2',
      timestamp: frame.metadata.message_timestamp,
      retry: 0,
      subscription: frame.payload.subscription,
      event: frame.payload.event,
    });
  });

  it('the same message id twice (Twitch resends) is stored and forwarded once', async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.startInProcess();
    await setup.subscribed(2);
    const [id] = setup.ws.notify('channel.follow', followEvent('resent'));
    setup.ws.notify('channel.follow', followEvent('resent'), { messageId: id! });
    const [after] = setup.ws.notify('channel.follow', followEvent('after_the_resend'));
    await waitFor(() => setup.consumer.counts().has(after!), 15_000, 'the message after the resend');
    await waitFor(() => relay.logText().includes('"outcome":"duplicate"'), 5_000, 'the duplicate logged');
    expect(setup.consumer.counts().get(id!)).toBe(1);
    const listed = await relay.store.listEvents({});
    expect(listed.map((e) => e.id).sort()).toEqual([id, after].sort());
  });

  it("a frame that is not one of Twitch's messages is logged and stores nothing", async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.startInProcess();
    const sessionId = await setup.subscribed(2);
    setup.ws.sendRaw(sessionId, 'not json');
    setup.ws.sendRaw(
      sessionId,
      JSON.stringify({
        metadata: {
          message_id: 'bad-1',
          message_type: 'notification',
          message_timestamp: '2026-01-01T00:00:00Z',
        },
        payload: { subscription: { id: 's', type: 'channel.follow', version: '2', condition: {} } },
      }),
    );
    const [good] = setup.ws.notify('channel.follow', followEvent('after_garbage'));
    await waitFor(() => setup.consumer.counts().has(good!));
    expect(relay.logText()).toContain('not one of Twitch');
    expect(relay.logText()).toContain('notification payload.event');
    const listed = await relay.store.listEvents({});
    expect(listed.map((e) => e.id)).toEqual([good]);
    expect(setup.ws.sessions.get(sessionId)?.open).toBe(true);
    expect(STREAMER.id).toBe('1337');
  });

  it('a notification frame that is not UTF-8, or nested too deep, is refused as a webhook body would be: logged, nothing stored', async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.startInProcess();
    const sessionId = await setup.subscribed(2);
    const frame = (userName: string) =>
      setup.ws.notificationFrame(sessionId, 'channel.follow', { ...followEvent('x'), user_name: userName });
    // Latin-1 bytes in a text frame: ë is 0xEB, which UTF-8 never has alone.
    setup.ws.sendRaw(sessionId, Buffer.from(frame('Zoë'), 'latin1'));
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    setup.ws.sendRaw(
      sessionId,
      frame('deep').replace('"user_name":"deep"', `"user_name":"deep","deep":${deep}`),
    );
    const [good] = setup.ws.notify('channel.follow', followEvent('after_the_bad_frames'));
    await waitFor(() => setup.consumer.counts().has(good!));
    const refused = relay
      .logText()
      .split('\n')
      .filter((line) => line.includes("ignored a WebSocket message that is not one of Twitch's"))
      .map((line) => JSON.parse(line) as { level: number; reason: string });
    expect(refused).toEqual([
      expect.objectContaining({
        level: 40,
        reason: 'frame is not UTF-8 JSON text (it has bytes that are not UTF-8)',
      }),
      expect.objectContaining({
        level: 40,
        reason: "frame is nested deeper than 64 levels; Twitch's messages nest far less",
      }),
    ]);
    const listed = await relay.store.listEvents({});
    expect(listed.map((e) => e.id)).toEqual([good]);
    expect(setup.ws.sessions.get(sessionId)?.open).toBe(true);
  });
});
