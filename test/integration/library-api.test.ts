import { afterEach, describe, expect, it } from '@jest/globals';
import express from 'express';
import { once } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  createCallbackHandler,
  defineSinkKind,
  loadRelayConfig,
  startRelay,
  verifyEventSubSignature,
  type Envelope,
  type RunningRelay,
} from '../../src/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { writeSinksConfig } from '../support/config-file.js';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { followNotification, signedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the `memory` sink kind saw: each envelope, and whether the 204 had been written by then. */
interface Seen {
  envelope: Envelope;
  answeredBefore: boolean;
}

/**
 * A relay started through the package entry point with a sink kind of the user's own (`memory`,
 * or `stuck`: never settles), and the user's own express 5 app that mounts the relay's /callback
 * handler at /twitch/callback behind `before` (a body parser, or nothing).
 */
async function userAppWithRelay(kind: 'memory' | 'stuck', before: express.RequestHandler[] = []) {
  const seen: Seen[] = [];
  const responses = new Map<string, ServerResponse>();
  const memory = defineSinkKind({
    kind,
    description: 'keeps what it is given, in memory',
    optionsSchema: z.strictObject({}),
    secretFields: [],
    create: (_options, context) => ({
      name: context.name,
      deliver(envelope: Envelope) {
        seen.push({ envelope, answeredBefore: responses.get(envelope.id)?.writableEnded === true });
        return kind === 'stuck' ? new Promise<void>(() => undefined) : Promise.resolve();
      },
    }),
  });
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const configFile = writeSinksConfig([{ name: 'mine', kind }], cleanups as (() => void)[]);
  const config = loadRelayConfig({
    DATA_DIR: dir.path,
    PORT: '0',
    EVENTSUB_SECRET: TEST_SECRET,
    CONFIG_FILE: configFile,
  });
  config.server.shutdownTimeoutMs = 200;
  const relay: RunningRelay = await startRelay(config, {
    logger: createLogger('silent'),
    sinkKinds: [memory as never],
  });
  cleanups.push(() => relay.stop());

  const app = express();
  const handler = createCallbackHandler({
    secrets: relay.provisioned.eventSub.secrets,
    intake: relay.intake,
  });
  app.post(
    '/twitch/callback',
    (req, res, next) => {
      responses.set(String(req.headers['twitch-eventsub-message-id']), res);
      next();
    },
    ...before,
    handler,
  );
  app.get('/', (_req, res) => {
    res.send('the user app');
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (signed = signedRequest(TEST_SECRET, followNotification())) => {
    const res = await fetch(`${url}/twitch/callback`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    return { status: res.status, text: await res.text(), messageId: signed.messageId };
  };
  return { relay, url, post, seen };
}

describe('the library API in a user app of its own (express 5)', () => {
  it('createCallbackHandler receives a signed event into the relay; the sink gets it after the 204', async () => {
    const { relay, url, post, seen } = await userAppWithRelay('memory');
    expect(await (await fetch(url)).text()).toBe('the user app');

    const sent = await post();
    expect(sent.status).toBe(204);
    expect((await relay.store.getEvent(sent.messageId))?.envelope.type).toBe('channel.follow');
    await waitFor(() => seen.length === 1, 5000);
    expect(seen[0]).toMatchObject({ envelope: { id: sent.messageId }, answeredBefore: true });
    await waitFor(
      async () => (await relay.store.getEvent(sent.messageId))?.deliveries[0]?.status === 'delivered',
      5000,
    );

    // Twitch's retry of the same message: acknowledged, nothing new stored or delivered.
    const signed = signedRequest(TEST_SECRET, followNotification(), { messageId: sent.messageId });
    expect((await post(signed)).status).toBe(204);
    expect(await relay.store.countEvents()).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('answers the challenge and refuses a bad signature without storing anything', async () => {
    const { relay, post } = await userAppWithRelay('memory');
    const challenge = signedRequest(
      TEST_SECRET,
      { challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: followNotification().subscription },
      { messageType: 'webhook_callback_verification' },
    );
    expect(await post(challenge)).toMatchObject({ status: 200, text: 'pogchamp-kappa-360noscope-vohiyo' });

    const forged = signedRequest('another-secret-0123456789', followNotification());
    const refused = await post(forged);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ error: 'invalid_signature' });
    expect(await relay.store.countEvents()).toBe(0);
  });

  it('a sink that never answers does not hold up the 204; its delivery stays pending', async () => {
    const { relay, post, seen } = await userAppWithRelay('stuck');
    const sent = await post();
    expect(sent.status).toBe(204);
    await waitFor(() => seen.length === 1, 5000);
    expect((await relay.store.getEvent(sent.messageId))?.deliveries[0]).toMatchObject({
      sink: 'mine',
      status: 'pending',
    });
  });

  it('behind express.raw() it verifies the bytes that parser kept', async () => {
    const { relay, post } = await userAppWithRelay('memory', [express.raw({ type: '*/*' })]);
    const sent = await post();
    expect(sent.status).toBe(204);
    expect(await relay.store.countEvents()).toBe(1);
  });

  it('behind express.json() it refuses to guess the raw bytes: 500 saying how to mount it, nothing stored', async () => {
    const { relay, post, seen } = await userAppWithRelay('memory', [express.json()]);
    const sent = await post();
    expect(sent.status).toBe(500);
    expect(JSON.parse(sent.text)).toMatchObject({
      error: 'body_already_parsed',
      message: expect.stringContaining('mount the EventSub handler before any body parser'),
    });
    expect(await relay.store.countEvents()).toBe(0);
    expect(seen).toHaveLength(0);
  });
});

describe('verifyEventSubSignature', () => {
  it('accepts what Twitch signs and nothing else', () => {
    const signed = signedRequest(TEST_SECRET, followNotification());
    const request = {
      messageId: signed.messageId,
      timestamp: signed.headers['Twitch-Eventsub-Message-Timestamp']!,
      body: signed.body,
      signature: signed.headers['Twitch-Eventsub-Message-Signature']!,
    };
    expect(verifyEventSubSignature({ secret: TEST_SECRET, ...request })).toBe(true);
    expect(verifyEventSubSignature({ secret: ['old-secret-0123456789', TEST_SECRET], ...request })).toBe(
      true,
    );
    expect(verifyEventSubSignature({ secret: TEST_SECRET, ...request, body: signed.body + ' ' })).toBe(false);
    expect(verifyEventSubSignature({ secret: TEST_SECRET, ...request, signature: 'sha256=zz' })).toBe(false);
  });
});
