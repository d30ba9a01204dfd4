import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { writeStreamsConfig } from '../support/stream-relay.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the start-up log of a stream whose token is generated', () => {
  it('names the token file (a path is no secret) and never the token or any other secret', async () => {
    const files: (() => void)[] = [];
    cleanups.push(() => files.forEach((cleanup) => cleanup()));
    const configFile = writeStreamsConfig([{ name: 'overlay' }], files);
    const relay = await startTestRelay(
      {
        CONFIG_FILE: configFile,
        FORWARD_URL: 'http://127.0.0.1:9/hook',
        FORWARD_SECRET: TEST_WEBHOOK_SECRET,
        TWITCH_CLIENT_SECRET: 'client-secret-never-logged',
      },
      { captureLogs: true },
    );
    cleanups.push(() => relay.close());
    const tokenFile = join(relay.config.dataDir, 'stream-token-overlay');
    const token = readFileSync(tokenFile, 'utf8').trim();

    const line = relay.logs().find((entry) => entry.msg.startsWith('generated a token for this stream'));
    expect(line).toMatchObject({ stream: 'overlay', tokenFile });
    const text = relay.logText();
    expect(text).toContain(tokenFile);
    for (const secret of [token, TEST_SECRET, TEST_WEBHOOK_SECRET, 'client-secret-never-logged'])
      expect(text).not.toContain(secret);
  });
});
