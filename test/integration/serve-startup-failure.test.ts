import { afterEach, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, runCli } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/**
 * `serve` with a sink that keeps the process busy from the moment it is built (a redis-stream sink
 * reconnects on a timer while its Redis is down) and a mistake found only after it was built: the
 * process must close it and exit 78 by itself. runCli kills it after 20 s (code -1), which is what
 * a hang looks like here. test/services/serve-startup-failure.test.ts does the same with a Redis
 * that answers.
 */
describe('serve: a start-up failure after a sink was built', () => {
  it('a redis-stream sink whose Redis is down and an invalid streams name: exits 78 with the error, nothing listening', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const configFile = join(dir.path, 'eventsub-relay.yml');
    const nobody = await freePort();
    writeFileSync(
      configFile,
      stringify({
        sinks: [{ name: 'bus', kind: 'redis-stream', url: `redis://127.0.0.1:${nobody}` }],
        streams: [{ name: 'not a name' }],
      }),
    );
    const port = await freePort();
    const result = await runCli(
      ['serve'],
      {
        DATA_DIR: join(dir.path, 'data'),
        CONFIG_FILE: configFile,
        EVENTSUB_SECRET: 'startup-failure-secret-42',
        PORT: String(port),
        STORE_URL: undefined,
      },
      { cwd: dir.path },
    );
    expect(result.stderr).toContain('eventsub-relay: configuration error: streams[0].name: must be letters');
    expect(result.code).toBe(78);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow('fetch failed');
  });
});
