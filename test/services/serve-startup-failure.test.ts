import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
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
 * `serve` with a config file whose sinks hold connections (a real Redis or NATS) and a mistake found only
 * after they were built: the process must close them and exit 78 by itself. runCli kills it after
 * 20 s (code -1), which is what a hang looks like here.
 */
describe('serve: a start-up failure after a broker sink was built', () => {
  const brokerSinks = [
    {
      kind: 'redis-stream',
      sink: {
        name: 'bus',
        kind: 'redis-stream',
        url: 'redis://127.0.0.1:6379',
        stream: `test-${randomUUID()}`,
      },
    },
    { kind: 'nats', sink: { name: 'bus', kind: 'nats', servers: 'nats://127.0.0.1:4222' } },
  ];
  it.each(brokerSinks)(
    'a $kind sink and an invalid streams name: prints the error and exits 78 (its connection is closed)',
    async ({ sink }) => {
      const dir = tempDir();
      cleanups.push(dir.cleanup);
      const configFile = join(dir.path, 'eventsub-relay.yml');
      writeFileSync(configFile, stringify({ sinks: [sink], streams: [{ name: 'not a name' }] }));
      const result = await runCli(
        ['serve'],
        {
          DATA_DIR: join(dir.path, 'data'),
          CONFIG_FILE: configFile,
          EVENTSUB_SECRET: 'startup-failure-secret-42',
          PORT: String(await freePort()),
          STORE_URL: undefined,
        },
        { cwd: dir.path },
      );
      expect(result.stderr).toContain('eventsub-relay: configuration error: streams[0].name');
      expect(result.code).toBe(78);
    },
  );
});
