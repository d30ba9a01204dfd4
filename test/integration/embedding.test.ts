import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import express from 'express';
import { composeRelay, loadRelayConfig } from '../../src/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { openStore } from '../../src/store/open-store.js';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { cleanEnv } from '../support/relay-process.js';
import { followNotification, postSigned, signedRequest } from '../support/sign.js';
import { openSse } from '../support/sse-reader.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const STREAM_TOKEN = 'an-overlay-token-0123456789';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The js block of docs/development.md's "Embedding the relay", importing the built package. */
function documentedApp(): string {
  const doc = readFileSync(join(root, 'docs', 'development.md'), 'utf8');
  const start = doc.indexOf('## Embedding the relay');
  expect(start).toBeGreaterThan(-1);
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBeDefined();
  expect(block).toContain("from 'eventsub-relay'");
  return block!.replace(
    "from 'eventsub-relay'",
    `from '${pathToFileURL(join(root, 'dist', 'index.js')).href}'`,
  );
}

/** A DATA_DIR and a config file with a file sink and one stream, as an embedding app would have. */
function relayFiles() {
  const dir = tempDir('embedding-');
  cleanups.push(dir.cleanup);
  const configFile = join(dir.path, 'eventsub-relay.yml');
  const sinkFile = join(dir.path, 'delivered.jsonl');
  writeFileSync(
    configFile,
    stringify({
      sinks: [{ name: 'archive', kind: 'file', path: sinkFile }],
      streams: [{ name: 'overlay', token: STREAM_TOKEN }],
    }),
  );
  const env = { DATA_DIR: join(dir.path, 'data'), EVENTSUB_SECRET: TEST_SECRET, CONFIG_FILE: configFile };
  return { dir: dir.path, env, sinkFile, storeUrl: `sqlite:${join(env.DATA_DIR, 'eventsub-relay.sqlite')}` };
}

describe('embedding the relay in an app of your own (docs/development.md)', () => {
  it('the documented program: a signed event through the app is stored, delivered and streamed; SIGTERM ends it by itself', async () => {
    const files = relayFiles();
    const appFile = join(files.dir, 'app.mjs');
    writeFileSync(appFile, documentedApp());
    const child = spawn(process.execPath, [appFile], {
      cwd: files.dir,
      env: cleanEnv({ ...files.env, APP_PORT: '0', LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | string>((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
    );
    cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
    await waitFor(() => /listening on (http:\S+)/.test(output) || child.exitCode !== null, 30_000, 'the app');
    const url = /listening on (http:\S+)/.exec(output)?.[1];
    expect({ url, output }).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), output });

    // The app's own route, and the relay's health and readiness where the app mounted them.
    expect(await (await fetch(`${url}/`)).text()).toBe('your own app\n');
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${url}/ready`)).json()).toEqual({ status: 'ready' });

    const stream = await openSse(`${url}/live/overlay`, { Authorization: `Bearer ${STREAM_TOKEN}` });
    expect(stream.status).toBe(200);
    const sent = await postSigned(`${url}/twitch`, TEST_SECRET);
    expect(sent.status).toBe(204);
    await waitFor(
      () => stream.events.some((event) => event.data.includes(sent.messageId)),
      10_000,
      'streamed',
    );
    await waitFor(
      () => existsSync(files.sinkFile) && readFileSync(files.sinkFile, 'utf8').includes(sent.messageId),
      10_000,
      'the file sink',
    );

    // SIGTERM with the stream still open: the app stops the relay and the process ends by itself.
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await stream.ended;
    const store = await openStore(files.storeUrl);
    cleanups.push(() => store.close());
    const stored = await store.getEvent(sent.messageId);
    expect(stored?.envelope.type).toBe('channel.follow');
    expect(stored?.deliveries.map((delivery) => delivery.status)).toEqual(['delivered']);
  });

  it('once stop() began, the mounted callback answers 503 (Twitch retries) and stores nothing; start() runs once, never after stop()', async () => {
    const files = relayFiles();
    const config = loadRelayConfig(files.env);
    const relay = await composeRelay(config, { logger: createLogger('silent') });
    const server = createServer(relay.requestListener);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    await relay.start();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(relay.start()).rejects.toThrow('the relay is already started');
    const before = await postSigned(url, TEST_SECRET);
    expect(before.status).toBe(204);

    await relay.stop();
    await expect(relay.start()).rejects.toThrow('the relay was stopped; compose a new one to start again');
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    const signed = signedRequest(TEST_SECRET, followNotification());
    const after = await fetch(`${url}/callback`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    expect(after.status).toBe(503);
    expect(await after.json()).toEqual({
      error: 'store_unavailable',
      message: 'the event store is unavailable; Twitch will retry',
    });

    const store = await openStore(files.storeUrl);
    cleanups.push(() => store.close());
    expect((await store.getEvent(before.messageId))?.envelope.id).toBe(before.messageId);
    expect(await store.getEvent(signed.messageId)).toBeNull();
    expect(await store.countEvents()).toBe(1);
  });

  it('in an express app: the handlers mounted at paths of its own choosing, beside its own routes', async () => {
    const files = relayFiles();
    const relay = await composeRelay(loadRelayConfig(files.env), { logger: createLogger('silent') });
    const app = express();
    app.post('/hooks/callback', relay.handlers.callback);
    app.use('/overlay-events', relay.handlers.stream);
    app.get('/status', relay.handlers.ready);
    app.use(express.json());
    app.post('/api/echo', (req, res) => {
      res.json(req.body);
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    await relay.start();
    cleanups.push(async () => {
      await relay.stop();
      await new Promise((resolve) => server.close(resolve));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect(await (await fetch(`${url}/status`)).json()).toEqual({ status: 'ready' });
    const echoed = await fetch(`${url}/api/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await echoed.json()).toEqual({ a: 1 });
    const stream = await openSse(`${url}/overlay-events/overlay?token=${STREAM_TOKEN}`);
    cleanups.push(() => stream.close());
    expect(stream.status).toBe(200);
    const sent = await postSigned(`${url}/hooks`, TEST_SECRET);
    expect(sent.status).toBe(204);
    expect((await relay.store.getEvent(sent.messageId))?.envelope.type).toBe('channel.follow');
    await waitFor(
      () => stream.events.some((event) => event.data.includes(sent.messageId)),
      10_000,
      'streamed',
    );
  });
});
