import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { freePort, runCli } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** `serve` with this config file and environment, in a fresh folder whose DATA_DIR does not exist yet. */
async function serve(file: Record<string, unknown>, env: Record<string, string> = {}) {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const configFile = join(dir.path, 'eventsub-relay.yml');
  writeFileSync(configFile, stringify(file));
  const dataDir = join(dir.path, 'data');
  const result = await runCli(['serve'], {
    DATA_DIR: dataDir,
    CONFIG_FILE: configFile,
    PORT: String(await freePort()),
    ...env,
  });
  return { ...result, dataDir };
}

const follow = (types: string[]) => ({ types });

describe('serve refuses a config file with a mistake before it creates or stores anything', () => {
  it.each([
    [
      'a sink filter type',
      { sinks: [{ name: 'alerts', kind: 'log', filter: follow(['channel.folow']) }] },
      'sinks[0].filter.types[0]: unknown EventSub type "channel.folow"; did you mean "channel.follow"?',
    ],
    [
      'a stream filter type',
      { streams: [{ name: 'overlay', filter: follow(['channel.folow']) }] },
      'streams[0].filter.types[0]: unknown EventSub type "channel.folow"; did you mean "channel.follow"?',
    ],
    [
      'a subscriptions type',
      { subscriptions: [{ type: 'chanel.follow', broadcaster: 'me' }] },
      'subscriptions[0].type: unknown EventSub type "chanel.follow"; did you mean "channel.follow"?',
    ],
    [
      'an http sink url without a scheme',
      { sinks: [{ name: 'bot', kind: 'http', url: 'localhost:9000/hook', secret: TEST_WEBHOOK_SECRET }] },
      'sinks[0].url: must start with http:// or https://; did you mean http://localhost:9000/hook?',
    ],
  ])(
    '%s: exit 78 naming the path and the fix; no DATA_DIR, no secret, no store',
    async (_what, file, message) => {
      const result = await serve(file);
      expect(result.stderr).toContain(`eventsub-relay: configuration error: ${message}`);
      expect(result.code).toBe(78);
      expect(existsSync(result.dataDir)).toBe(false);
    },
  );

  it('FORWARD_URL=localhost:9000/hook: exit 78 with the URL to write instead; nothing created', async () => {
    const result = await serve({}, { FORWARD_URL: 'localhost:9000/hook' });
    expect(result.stderr).toContain(
      'eventsub-relay: configuration error: FORWARD_URL (entry 1): must start with http:// or https://; did you mean http://localhost:9000/hook?',
    );
    expect(result.code).toBe(78);
    expect(existsSync(result.dataDir)).toBe(false);
  });
});
