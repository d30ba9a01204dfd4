import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/errors.js';
import { envSchema } from '../../src/config/env-schema.js';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { redactedConfig } from '../../src/config/redacted-config.js';
import { tempDir } from '../support/temp-dir.js';

function configError(env: Record<string, string>): ConfigError {
  const dir = tempDir();
  try {
    loadRelayConfig({ DATA_DIR: dir.path, ...env });
  } catch (error) {
    return error as ConfigError;
  } finally {
    dir.cleanup();
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has the documented defaults with no variables at all, and loading creates nothing', () => {
    const dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const config = loadRelayConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      dataDir,
      transport: 'webhook',
      server: { port: 8080, host: '127.0.0.1', maxBodyBytes: 1024 * 1024, shutdownTimeoutMs: 10000 },
      log: { level: 'info' },
      store: { url: `sqlite:${dataDir}/eventsub-relay.sqlite`, retentionDays: 7 },
      delivery: { forwardUrls: [] },
      webhook: { previousSecrets: [] },
    });
    expect(config.webhook.secret).toBeUndefined();
    expect(existsSync(dataDir)).toBe(false);
    dir.cleanup();
  });

  it.each([
    [{ EVENTSUB_SECRET: 'short' }, 'EVENTSUB_SECRET', /at least 10/],
    [{ EVENTSUB_SECRET: 'x'.repeat(101) }, 'EVENTSUB_SECRET', /at most 100/],
    [{ EVENTSUB_SECRET: 'geheimnis-äöü-123' }, 'EVENTSUB_SECRET', /ASCII/],
    [{ EVENTSUB_SECRET: 's3cre77890ab' }, 'EVENTSUB_SECRET', /sample secret/],
    [{ EVENTSUB_SECRET: 'thisShouldBeARandomlyGeneratedFixedString' }, 'EVENTSUB_SECRET', /sample/],
    [
      { EVENTSUB_PREVIOUS_SECRETS: 'good-secret-123,bad' },
      'EVENTSUB_PREVIOUS_SECRETS (entry 2)',
      /at least 10/,
    ],
    [{ PORT: 'eighty' }, 'PORT', /number/],
    [{ PORT: '70000' }, 'PORT', /65535/],
    [{ PUBLIC_URL: 'eventsub.example.com' }, 'PUBLIC_URL', /origin URL \(scheme:\/\/host\[:port\]\)/],
    [
      { PUBLIC_URL: 'https://eventsub.example.com/callback' },
      'PUBLIC_URL',
      /without a path.*appends \/callback/,
    ],
    [
      { PUBLIC_URL: 'https://eventsub.example.com/twitch/' },
      'PUBLIC_URL',
      /without a path \(found \/twitch\/\)/,
    ],
    [{ PUBLIC_URL: 'https://eventsub.example.com?x=1' }, 'PUBLIC_URL', /without a query/],
    [{ PUBLIC_URL: 'https://eventsub.example.com/#top' }, 'PUBLIC_URL', /fragment/],
    [{ PUBLIC_URL: 'ftp://eventsub.example.com' }, 'PUBLIC_URL', /must start with https:\/\//],
    [{ PUBLIC_URL: 'https://me:pw@eventsub.example.com' }, 'PUBLIC_URL', /user or password/],
    [{ HOST: '999.1.1.1' }, 'HOST', /999\.1\.1\.1 is not a valid IPv4 address/],
    [{ HOST: '10.0.0' }, 'HOST', /not a valid IPv4 address/],
    [{ HOST: '[::1]' }, 'HOST', /without brackets/],
    [{ HOST: 'under_score.example' }, 'HOST', /IP address or a hostname/],
    [{ HOST: 'http://127.0.0.1' }, 'HOST', /IP address or a hostname/],
    [{ EVENTSUB_SECRET: 'tab\tseparated-secret' }, 'EVENTSUB_SECRET', /printable ASCII/],
    [{ EVENTSUB_SECRET: 'new\nline-secret-123' }, 'EVENTSUB_SECRET', /printable ASCII/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /info/],
    [{ MAX_BODY_BYTES: '10' }, 'MAX_BODY_BYTES', /1024/],
    [{ FORWARD_SECRET: 'hunter2' }, 'FORWARD_SECRET', /whsec_/],
    [{ AUTO_RESUBSCRIBE: 'maybe' }, 'AUTO_RESUBSCRIBE', /true or false/],
  ])('%j → error naming %s', (env, path, message) => {
    const error = configError(env);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.path).toBe(path);
    expect(error.problem).toMatch(message);
  });

  it.each([
    ['https://eventsub.example.com', 'https://eventsub.example.com'],
    ['https://eventsub.example.com/', 'https://eventsub.example.com'],
    ['https://EventSub.Example.com:443', 'https://eventsub.example.com'],
    // http and other ports pass config (local tests); subscribe/sync refuse them without --allow-insecure-callback.
    ['http://127.0.0.1:9999', 'http://127.0.0.1:9999'],
    ['https://[2001:db8::1]:8443', 'https://[2001:db8::1]:8443'],
  ])('PUBLIC_URL %s is kept as the origin %s', (value, origin) => {
    const dir = tempDir();
    expect(loadRelayConfig({ DATA_DIR: dir.path, PUBLIC_URL: value }).webhook.publicUrl).toBe(origin);
    dir.cleanup();
  });

  it.each(['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'relay-1.home.arpa'])(
    'HOST %s is accepted',
    (host) => {
      const dir = tempDir();
      expect(loadRelayConfig({ DATA_DIR: dir.path, HOST: host }).server.host).toBe(host);
      dir.cleanup();
    },
  );

  it.each(['my secret with spaces', ' leading and trailing ', '~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./'])(
    'EVENTSUB_SECRET %j (printable ASCII, spaces included) is accepted as given',
    (secret) => {
      const dir = tempDir();
      expect(loadRelayConfig({ DATA_DIR: dir.path, EVENTSUB_SECRET: secret }).webhook.secret).toBe(secret);
      dir.cleanup();
    },
  );

  it('logs the resolved config with every secret redacted', () => {
    const dir = tempDir();
    const config = loadRelayConfig({
      DATA_DIR: dir.path,
      EVENTSUB_SECRET: 'current-secret-123',
      EVENTSUB_PREVIOUS_SECRETS: 'previous-secret-123',
      TWITCH_CLIENT_SECRET: 'client-secret-xyz',
      STORE_URL: 'sqlite:/tmp/x.sqlite',
      FORWARD_URL: 'https://user:pw-123@consumer.example/hook',
    });
    const text = JSON.stringify(redactedConfig(config));
    for (const secret of ['current-secret-123', 'previous-secret-123', 'client-secret-xyz', 'pw-123']) {
      expect(text).not.toContain(secret);
    }
    dir.cleanup();
  });

  it('docs/configuration.md documents every variable the relay reads', () => {
    const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    for (const name of Object.keys(envSchema.shape)) expect(docs).toContain(`\`${name}\``);
  });

  it('.env.example lists every variable the relay reads, with its default', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const name of Object.keys(envSchema.shape)) {
      expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    }
  });
});
