import { describe, expect, it } from '@jest/globals';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/errors.js';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { parseSinkEntry } from '../../src/delivery/config/sink-config.js';
import { createSinkRegistry } from '../../src/sinks/registry.js';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';

/** Loading creates nothing, so DATA_DIR may be a folder that does not exist. */
const DATA_DIR = join(tmpdir(), 'eventsub-relay-never-created');

/** The ConfigError loading this environment gives. */
function envError(env: Record<string, string>): ConfigError {
  try {
    loadRelayConfig({
      DATA_DIR: DATA_DIR,
      EVENTSUB_SECRET: 'a-test-secret-123',
      ...env,
    });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function sinkError(url: string): ConfigError {
  try {
    parseSinkEntry(
      createSinkRegistry(),
      { name: 'bot', kind: 'http', url, secret: TEST_WEBHOOK_SECRET },
      'sinks[0]',
    );
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

// Each of these used to start "ready", then fail every delivery with "Invalid URL protocol" for a day of retries.
const MISTAKES: [string, RegExp][] = [
  ['localhost:9000/hook', /did you mean http:\/\/localhost:9000\/hook\?/],
  ['127.0.0.1:9000/hook', /did you mean http:\/\/127\.0\.0\.1:9000\/hook\?/],
  ['htp://127.0.0.1:9000/hook', /did you mean http:\/\/127\.0\.0\.1:9000\/hook\?/],
  ['htps://consumer.example/hook', /did you mean https:\/\/consumer\.example\/hook\?/],
  ['ftp://consumer.example/hook', /only http:\/\/ and https:\/\/ .*\(found ftp:\/\/\)/],
  ['consumer.example/hook', /did you mean https:\/\/consumer\.example\/hook\?/],
  ['not a url', /must be an http:\/\/ or https:\/\/ URL/],
];

describe('URLs the relay sends events to are http(s) only', () => {
  it.each(MISTAKES)('FORWARD_URL=%s is a configuration error saying what to write', (url, advice) => {
    const error = envError({ FORWARD_URL: url });
    expect(error.path).toBe('FORWARD_URL (entry 1)');
    expect(error.problem).toMatch(advice);
  });

  it('names the entry of a list that is wrong', () => {
    const error = envError({ FORWARD_URL: 'http://127.0.0.1:9000/a, localhost:9001/b' });
    expect(error.path).toBe('FORWARD_URL (entry 2)');
    expect(error.problem).toMatch(/did you mean http:\/\/localhost:9001\/b\?/);
  });

  it.each(MISTAKES)('an http sink url %s is a configuration error naming sinks[0].url', (url, advice) => {
    const error = sinkError(url);
    expect(error.path).toBe('sinks[0].url');
    expect(error.problem).toMatch(advice);
  });

  it.each([
    'http://127.0.0.1:9000/hook',
    'https://consumer.example/hook?x=1',
    'http://[::1]:9000/',
    'HTTP://Example.com/a',
  ])('%s is accepted as before', (url) => {
    expect(
      loadRelayConfig({ DATA_DIR: DATA_DIR, EVENTSUB_SECRET: 'a-test-secret-123', FORWARD_URL: url }).delivery
        .forwardUrls,
    ).toEqual([url]);
    expect(
      parseSinkEntry(
        createSinkRegistry(),
        { name: 'bot', kind: 'http', url, secret: TEST_WEBHOOK_SECRET },
        'sinks[0]',
      ).options,
    ).toMatchObject({ url });
  });

  it('TWITCH_REDIRECT_URI must be http(s) too: it is where the browser returns after auth login', () => {
    const error = envError({ TWITCH_REDIRECT_URI: 'localhost:3000' });
    expect(error.path).toBe('TWITCH_REDIRECT_URI');
    expect(error.problem).toMatch(/did you mean http:\/\/localhost:3000\?/);
  });

  it('PUBLIC_URL without a scheme suggests https://', () => {
    const error = envError({ PUBLIC_URL: 'eventsub.example.com' });
    expect(error.path).toBe('PUBLIC_URL');
    expect(error.problem).toMatch(/did you mean https:\/\/eventsub\.example\.com\?/);
  });
});
