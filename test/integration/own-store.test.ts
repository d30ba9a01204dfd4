import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadRelayConfig, startRelay } from '../../src/index.js';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { startCountingConsumer } from '../support/counting-consumer.js';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { MemoryStore } from '../support/memory-store.js';
import { followNotification, signedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const doc = readFileSync(new URL('../../docs/development.md', import.meta.url), 'utf8');
const thisTest = readFileSync(new URL(import.meta.url), 'utf8');

/** Environment of a relay with a temp DATA_DIR that forwards to `forwardUrl`, logging nothing. */
function relayEnv(forwardUrl: string, port = '0'): Record<string, string> {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return {
    DATA_DIR: dir.path,
    PORT: port,
    EVENTSUB_SECRET: TEST_SECRET,
    FORWARD_URL: forwardUrl,
    FORWARD_SECRET: TEST_WEBHOOK_SECRET,
    LOG_LEVEL: 'silent',
  };
}

describe('startRelay({ store }): a store of your own', () => {
  it('stores signed /callback requests in it, delivers them to a real consumer, deduplicates a re-send, and leaves it open', async () => {
    const consumer = await startCountingConsumer(TEST_WEBHOOK_SECRET);
    cleanups.push(() => consumer.close());
    const env = relayEnv(consumer.url('/hook'));
    const config = loadRelayConfig(env);

    const store = new MemoryStore();
    const relay = await startRelay(config, { store });
    cleanups.push(() => relay.stop());
    expect(relay.store).toBe(store);

    const follow = signedRequest(TEST_SECRET, followNotification());
    const post = () =>
      fetch(`${relay.url}/callback`, { method: 'POST', headers: follow.headers, body: follow.body });
    expect((await post()).status).toBe(204);
    expect(await store.countEvents()).toBe(1); // durable in your store before the 204
    expect((await post()).status).toBe(204); // Twitch's re-send of the same message id
    await waitFor(
      async () => (await store.getEvent(follow.messageId))?.deliveries[0]?.status === 'delivered',
    );
    expect(consumer.requests.map((request) => [request.id, request.path])).toEqual([
      [follow.messageId, '/hook'],
    ]);
    expect(consumer.rejected).toBe(0);
    expect(await store.countEvents()).toBe(1);
    expect((await store.getEvent(follow.messageId))?.envelope).toMatchObject({
      id: follow.messageId,
      type: 'channel.follow',
      event: JSON.parse(follow.body).event,
    });
    // STORE_URL was never opened: no SQLite file beside the secret in DATA_DIR.
    expect(readdirSync(env.DATA_DIR!).filter((name) => name.includes('sqlite'))).toEqual([]);

    await relay.stop(); // stops using the store but leaves it open: it is yours
    expect(store.isClosed).toBe(false);
    expect((await store.getEvent(follow.messageId))?.deliveries[0]?.status).toBe('delivered');
    await store.close();
    expect(store.isClosed).toBe(true);
  });

  it('a start that fails leaves the passed store open for its owner, with nothing in it', async () => {
    const consumer = await startCountingConsumer(TEST_WEBHOOK_SECRET);
    cleanups.push(() => consumer.close());
    const taken = new URL(consumer.url('/')).port; // listening fails: the consumer has this port
    const store = new MemoryStore();
    await expect(
      startRelay(loadRelayConfig(relayEnv(consumer.url('/hook'), taken)), { store }),
    ).rejects.toThrow(/EADDRINUSE|in use/);
    expect(store.isClosed).toBe(false);
    expect(await store.countEvents()).toBe(0);
    await store.close();
  });

  it('docs/development.md, "A store of your own": every line of its code that uses the store is code of this test', () => {
    const section = doc.slice(doc.indexOf('## A store of your own'));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const lines = code
      .split('\n')
      .map((line) => line.replace(/\s*\/\/.*$/, '').trim())
      .filter((line) => /\bstore\b/.test(line) && !line.startsWith('import'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    let from = 0;
    for (const line of lines) {
      const at = thisTest.indexOf(line, from);
      expect({ line, found: at >= 0 }).toEqual({ line, found: true });
      from = at + line.length;
    }
    expect(existsSync(join(new URL('../support/', import.meta.url).pathname, 'memory-store.ts'))).toBe(true);
    expect(section).toContain('test/support/memory-store.ts');
  });
});
