import { afterEach, describe, expect, it } from '@jest/globals';
import { startRelayProcess } from '../support/relay-process.js';
import { openSse } from '../support/sse-reader.js';
import { ALL_TOKEN, follow, postEvent, writeStreamsConfig } from '../support/stream-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'sigterm-test-secret-0123456789';
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('eventsub-relay serve with open streams', () => {
  it('ends every stream cleanly on SIGTERM and exits 0 without waiting out the shutdown timeout', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const relay = await startRelayProcess({
      DATA_DIR: dir.path,
      EVENTSUB_SECRET: SECRET,
      CONFIG_FILE: writeStreamsConfig([{ name: 'all', token: ALL_TOKEN }], cleanups),
      SHUTDOWN_TIMEOUT_MS: '30000',
    });
    const streams = await Promise.all(
      [1, 2, 3].map(() => openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`)),
    );
    await postEvent(relay.url, SECRET, follow('1'));
    await waitFor(() => streams.every((s) => s.events.length === 1));
    relay.child.kill('SIGTERM');
    await Promise.all(streams.map((s) => s.ended));
    expect(await relay.exited).toBe(0);
    // Had the open streams held the server's close, this would wait out SHUTDOWN_TIMEOUT_MS (30 s)
    // and pass jest's test timeout instead.
    expect(relay.output()).not.toContain(ALL_TOKEN);
  });
});
