import { afterEach, describe, expect, it } from '@jest/globals';
import { freePort } from '../support/relay-process.js';
import { serveWithMistake, STARTUP_MISTAKES } from '../support/startup-mistakes.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/**
 * `serve` with a redis-stream sink whose Redis is down (it reconnects on a timer, which holds the
 * process) and a mistake: the process must close what it built and exit 78 by itself; a hang shows
 * as code -1. test/services/serve-startup-failure.test.ts does the same with brokers that answer.
 */
describe('serve: a start-up failure beside a sink that holds the process', () => {
  it.each(STARTUP_MISTAKES)('$mistake: exits 78 with the error, nothing listening', async (mistake) => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const bus = { name: 'bus', kind: 'redis-stream', url: `redis://127.0.0.1:${await freePort()}` };
    const result = await serveWithMistake(dir.path, [bus], mistake);
    expect(result.stderr).toContain(mistake.error(dir.path));
    expect(result.code).toBe(78);
    await expect(fetch(`http://127.0.0.1:${result.port}/healthz`)).rejects.toThrow('fetch failed');
  });
});
