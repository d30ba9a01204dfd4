import { describe, expect, it } from '@jest/globals';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { findEntry } from '../../src/twitch/catalog-lookup.js';
import { websocketEntry } from '../../src/transports/websocket/plan.js';
import { tempDir } from '../support/temp-dir.js';

function load(env: Record<string, string>) {
  const dir = tempDir();
  try {
    return loadRelayConfig({ DATA_DIR: dir.path, ...env });
  } finally {
    dir.cleanup();
  }
}

describe('TRANSPORT and EVENTSUB_WS_URL', () => {
  it('default to webhooks and to Twitch’s EventSub WebSocket server', () => {
    const config = load({});
    expect(config.transport).toBe('webhook');
    expect(config.websocket.url).toBe('wss://eventsub.wss.twitch.tv/ws');
    expect(config.websocket.backoffMs).toBe(1000);
  });

  it('take websocket and a ws:// test server (its query, e.g. keepalive_timeout_seconds, kept)', () => {
    const config = load({
      TRANSPORT: 'websocket',
      EVENTSUB_WS_URL: 'ws://127.0.0.1:8091/ws?keepalive_timeout_seconds=30',
    });
    expect(config.transport).toBe('websocket');
    expect(config.websocket.url).toBe('ws://127.0.0.1:8091/ws?keepalive_timeout_seconds=30');
  });

  it.each([
    [
      { TRANSPORT: 'websockets' },
      'TRANSPORT: must be webhook (Twitch posts to PUBLIC_URL/callback), websocket (the relay connects out',
    ],
    [
      { EVENTSUB_WS_URL: 'https://eventsub.wss.twitch.tv/ws' },
      'EVENTSUB_WS_URL: must start with wss:// or ws://',
    ],
    [{ EVENTSUB_WS_URL: 'eventsub.wss.twitch.tv' }, 'EVENTSUB_WS_URL: must be a WebSocket URL'],
    [{ EVENTSUB_WS_BACKOFF_MS: '0' }, 'EVENTSUB_WS_BACKOFF_MS'],
  ])('%j is refused with what is expected', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });
});

describe('scopes over WebSockets', () => {
  it('chat types need only user:read:chat (user:bot and channel:bot are for app tokens)', () => {
    expect(findEntry('channel.chat.message').scopes).toEqual([['user:read:chat'], ['user:bot']]);
    expect(websocketEntry(findEntry('channel.chat.message')).scopes).toEqual([['user:read:chat']]);
    expect(websocketEntry(findEntry('channel.follow'))).toEqual(findEntry('channel.follow'));
  });
});
