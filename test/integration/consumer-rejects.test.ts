import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAST_RETRY, TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { runExample, type ExampleProcess } from '../support/example-process.js';
import { freePort, runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { followNotification, postSigned } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'consumer-rejects-secret-1';
const RELAY_FORWARD_SECRET = 'whsec_' + Buffer.from('the-relays-own-forward-secret!!!').toString('base64');
const CONSUMER_SECRET = 'whsec_' + Buffer.from('an-old-secret-the-consumer-kept!').toString('base64');

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface ShownAttempt {
  sink: string;
  error?: string;
  response?: string;
}

describe('a consumer that answers 401 to signed deliveries (its secret differs)', () => {
  let relay: RelayProcess;
  let consumer: ExampleProcess;
  let env: Record<string, string>;

  async function start(): Promise<void> {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const port = await freePort();
    consumer = runExample('consumer/server.mjs', [], {
      FORWARD_SECRET: CONSUMER_SECRET,
      CONSUMER_PORT: String(port),
    });
    cleanups.push(() => consumer.stop());
    await waitFor(() => consumer.stdout().includes('consumer listening on'), 10_000, 'the consumer');
    env = {
      DATA_DIR: dir.path,
      EVENTSUB_SECRET: SECRET,
      FORWARD_URL: `http://127.0.0.1:${port}/hook`,
      FORWARD_SECRET: RELAY_FORWARD_SECRET,
    };
    relay = await startRelayProcess(env);
    cleanups.push(() => relay.child.kill('SIGKILL'));
  }

  it('the relay logs and `events show` say the signing secret probably differs and keep the answer; the consumer says why', async () => {
    await start();
    const { status, messageId } = await postSigned(relay.url, SECRET, followNotification());
    expect(status).toBe(204);

    // The relay logs the failure once it is recorded: then one `events show` has it (no CLI polling).
    await waitFor(() => relay.output().includes('delivery to forward failed'), 15_000, 'the log line');
    const shown = await runCli(['events', 'show', messageId, '--json'], env);
    const [first] = (JSON.parse(shown.stdout) as { attempts: ShownAttempt[] }).attempts;
    expect(first!.sink).toBe('forward');
    expect(first!.error).toBe(
      'HTTP 401: the consumer refused the request: its signing secret probably differs from this sink’s ' +
        '(FORWARD_SECRET or DATA_DIR/forward-secret for FORWARD_URL, the `secret` of this sink in the config file otherwise)',
    );
    expect(first!.response).toBe(
      `rejected delivery ${messageId}: No matching signature found: the signature was made with another secret ` +
        "than FORWARD_SECRET here; give this consumer the relay's secret (DATA_DIR/forward-secret, or the relay's FORWARD_SECRET)\n",
    );

    const text = (await runCli(['events', 'show', messageId], env)).stdout;
    expect(text).toContain('signing secret probably differs');
    expect(text).toContain('What the destination answered (first 1 KiB kept; all of it with --json)');
    expect(text).toContain(`forward #1: rejected delivery ${messageId}: No matching signature found`);

    const logged = relay
      .output()
      .split('\n')
      .find((line) => line.includes('delivery to forward failed'))!;
    expect(JSON.parse(logged)).toMatchObject({
      level: 40,
      messageId,
      msg: expect.stringMatching(/^delivery to forward failed \(HTTP 401: .*signing secret probably differs/),
    });
    // Neither secret is ever printed by either side.
    for (const output of [relay.output(), consumer.stdout(), consumer.stderr(), text]) {
      expect(output).not.toContain(RELAY_FORWARD_SECRET);
      expect(output).not.toContain(CONSUMER_SECRET);
    }
    expect(consumer.stderr()).toContain(
      `rejected delivery ${messageId}: No matching signature found: the signature was made with another secret`,
    );
    expect(consumer.printedIds()).not.toContain(messageId);
  });
});

describe('what a failing destination answered is kept with the attempt', () => {
  it('the first 1 KiB of the body, with the credentials we sent masked', async () => {
    const token = 'Bearer consumer-token-0123456789';
    const answer = createServer((req, res) => {
      req.resume();
      // A consumer that echoes the request headers into a long error page.
      res
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(`echo: ${req.headers.authorization} ` + 'x'.repeat(5000));
    });
    await new Promise<void>((resolve) => answer.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => answer.close(resolve)));
    const url = `http://127.0.0.1:${(answer.address() as AddressInfo).port}/hook`;
    const configFile = writeSinksConfig(
      [
        {
          name: 'bot',
          kind: 'http',
          url,
          secret: TEST_WEBHOOK_SECRET,
          headers: { Authorization: token },
          retry: FAST_RETRY,
        },
      ],
      cleanups as (() => void)[],
    );
    const relay = await startTestRelay({ CONFIG_FILE: configFile });
    cleanups.push(() => relay.close());
    const { messageId } = await postSigned(relay.url, TEST_SECRET, followNotification());
    await waitFor(async () => ((await relay.store.getEvent(messageId))?.attempts.length ?? 0) >= 1);
    const [attempt] = (await relay.store.getEvent(messageId))!.attempts;
    expect(attempt!.error).toBe('HTTP 500');
    expect(Buffer.byteLength(attempt!.response!)).toBeLessThanOrEqual(1024);
    expect(attempt!.response).toMatch(/^echo: \*\*\* x{1000,}$/);
    expect(attempt!.response).not.toContain('consumer-token-0123456789');
  });
});
