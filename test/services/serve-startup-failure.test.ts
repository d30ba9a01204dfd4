import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { serveWithMistake, STARTUP_MISTAKES } from '../support/startup-mistakes.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const BROKER_SINKS = [
  { kind: 'redis-stream', url: 'redis://127.0.0.1:6379', stream: `test-${randomUUID()}` },
  { kind: 'nats', servers: 'nats://127.0.0.1:4222' },
];

/**
 * `serve` with a sink connected to a real Redis or NATS and a mistake in the config file: the
 * process must close the connection and exit 78 by itself (a hang shows as code -1, runCli's kill).
 */
describe('serve: a start-up failure beside a connected broker sink', () => {
  const cases = BROKER_SINKS.flatMap((sink) => STARTUP_MISTAKES.map((mistake) => ({ sink, mistake })));
  it.each(cases)(
    '$sink.kind sink, $mistake.mistake: prints the error and exits 78',
    async ({ sink, mistake }) => {
      const dir = tempDir();
      cleanups.push(dir.cleanup);
      const result = await serveWithMistake(dir.path, [{ name: 'bus', ...sink }], mistake);
      expect(result.stderr).toContain(mistake.error(dir.path));
      expect(result.code).toBe(78);
    },
  );
});
