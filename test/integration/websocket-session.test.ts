import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { TWITCH_CLOSE_CODES } from '../../src/transports/websocket/close-codes.js';
import { waitFor } from '../support/wait-for.js';
import { followEvent, startWebSocketSetup, type WebSocketSetup } from '../support/websocket-relay.js';

// The relay runs in this process (the session is under test, not the process); the fakes are real servers.
jest.setTimeout(90_000);

let setup: WebSocketSetup;
afterEach(async () => setup?.close());

/** Sends `count` follows, one every `everyMs`, while `during` runs; resolves with the ids sent. */
async function sendWhile(
  count: number,
  everyMs: number,
  during: (sent: string[]) => void,
): Promise<string[]> {
  const sent: string[] = [];
  for (let i = 0; i < count; i++) {
    sent.push(...setup.ws.notify('channel.follow', followEvent(`follower_${i}`)));
    during(sent);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return sent;
}

describe('session_reconnect', () => {
  it('moves to the reconnect_url, keeps the old connection until the new welcome: no gap, no duplicate', async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.startInProcess();
    const first = await setup.subscribed(2);
    const createsBefore = setup.twitch.eventSubRequests('POST').length;

    let asked = false;
    const sent = await sendWhile(60, 5, (ids) => {
      if (ids.length === 20 && !asked) {
        asked = true;
        setup.ws.requestReconnect(first);
      }
    });
    await waitFor(() => setup.consumer.requests.length >= sent.length, 15_000, 'every event delivered');

    // Every event sent while connected was stored and delivered exactly once, across the move.
    expect(sent).toHaveLength(60);
    expect([...setup.consumer.counts().entries()].sort()).toEqual(sent.map((id) => [id, 1]).sort());
    const second = setup.ws.sessions.get(first)!.movedTo!;
    expect(second).toBeDefined();
    // Some went over each connection: the old one carried events until the new one was welcomed.
    const sessionsUsed = new Set(
      setup.ws.sent.filter((s) => sent.some((id) => s.frame.includes(id))).map((s) => s.sessionId),
    );
    expect(sessionsUsed).toEqual(new Set([first, second]));
    // The subscriptions moved with the session: none created again; the old connection was closed by the relay.
    expect(setup.twitch.eventSubRequests('POST')).toHaveLength(createsBefore);
    await waitFor(() => setup.ws.sessions.get(first)!.open === false);
    expect(setup.ws.sessions.get(first)!.closeCode).toBe(1000);
    expect(setup.live().every((s) => s.transport.session_id === second)).toBe(true);
    expect(relay.logText()).toContain('reconnected: the new connection is welcomed');
  });

  it('a message delivered on both connections during the move is stored once', async () => {
    setup = await startWebSocketSetup();
    await setup.startInProcess();
    const first = await setup.subscribed(2);
    const [id] = setup.ws.notify('channel.follow', followEvent('both_ways'));
    setup.ws.requestReconnect(first);
    await waitFor(() => Boolean(setup.ws.sessions.get(first)!.movedTo));
    const [again] = setup.ws.notify('channel.follow', followEvent('both_ways'), { messageId: id! });
    expect(again).toBe(id);
    const [last] = setup.ws.notify('channel.follow', followEvent('last'));
    await waitFor(() => setup.consumer.counts().has(last!));
    expect(setup.consumer.counts().get(id!)).toBe(1);
  });

  it('an invalid reconnect (4007 on the new connection) starts a fresh session and subscribes again', async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.startInProcess();
    const first = await setup.subscribed(2);
    setup.ws.requestReconnect(first, `${setup.ws.url}?reconnect_id=no-such-session`);
    const fresh = await setup.subscribed(2, first);
    expect(fresh).not.toBe(first);
    expect(relay.logText()).toContain('with 4007 (invalid reconnect)');
    const [id] = setup.ws.notify('channel.follow', followEvent('after_4007'));
    await waitFor(() => setup.consumer.counts().has(id!));
  });
});

describe('keepalive watchdog', () => {
  it('no keepalive for keepalive_timeout_seconds + grace: the relay drops the connection and resubscribes on a new one', async () => {
    setup = await startWebSocketSetup();
    setup.ws.keepaliveSeconds = 1;
    const relay = await setup.startInProcess();
    const first = await setup.subscribed(2);
    // Keepalives flow: the session stays up well past its window.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(setup.ws.sessions.get(first)!.open).toBe(true);
    setup.ws.sendKeepalives = false;
    const second = await setup.subscribed(2, first);
    setup.ws.sendKeepalives = true;
    expect(relay.logText()).toContain('no keepalive or notification for 2000 ms');
    expect(setup.ws.sessions.get(first)!.open).toBe(false);
    const [id] = setup.ws.notify('channel.follow', followEvent('after_silence'));
    await waitFor(() => setup.consumer.counts().has(id!));
    expect(setup.live().every((s) => s.transport.session_id === second)).toBe(true);
  });
});

describe('close codes', () => {
  it('Twitch closes with each of 4000–4007: logged with its meaning and advice, then a new session is subscribed', async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.startInProcess();
    let session = await setup.subscribed(2);
    for (const { code, reason, advice } of TWITCH_CLOSE_CODES) {
      setup.ws.closeSession(session, code);
      const next = await setup.subscribed(2, session);
      const line = relay
        .logText()
        .split('\n')
        .find((l) => l.includes(`"code":${code}`) && l.includes(session));
      expect(line).toContain(`Twitch closed the EventSub WebSocket with ${code} (${reason})`);
      expect(line).toContain(advice);
      expect(JSON.parse(line!).level).toBe(code === 4001 || code === 4003 ? 50 : 40);
      const [id] = setup.ws.notify('channel.follow', followEvent(`after_${code}`));
      await waitFor(() => setup.consumer.counts().has(id!), 15_000, `delivery after ${code}`);
      session = next;
    }
    expect(relay.logText()).toContain('starting a new EventSub WebSocket session in');
  });

  it('Helix too slow for the subscribe window: Twitch closes with 4003, the relay says why and subscribes a new session', async () => {
    setup = await startWebSocketSetup();
    setup.ws.subscribeWindowMs = 300;
    // Helix answers 503 twice: twurple retries after 500 ms, past the (shortened) window.
    setup.twitch.createFailures = [503, 503];
    const relay = await setup.startInProcess();
    const session = await setup.subscribed(2);
    // The relay's lines reach us through a pipe, possibly after the fake has seen the new subscriptions.
    const said = [
      'with 4003 (connection unused)',
      'websocket transport session does not exist or has already disconnected',
    ];
    await waitFor(() => said.every((text) => relay.logText().includes(text)), 10_000, 'the relay to say why');
    expect([...setup.ws.sessions.values()].map((s) => s.closeCode)).toContain(4003);
    const [id] = setup.ws.notify('channel.follow', followEvent('after_slow_start'));
    await waitFor(() => setup.consumer.counts().has(id!));
    expect(setup.live().every((s) => s.transport.session_id === session)).toBe(true);
  });
});
