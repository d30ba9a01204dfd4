import { describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { provisionDataDir } from '../../src/config/provision.js';
import { parseStreamEntries, withStreamTokens } from '../../src/stream/stream-config.js';
import { presentedToken, tokenMatches } from '../../src/stream/token-check.js';
import { envelopeFrom } from '../support/envelopes.js';
import { tempDir } from '../support/temp-dir.js';

const problem = (entries: unknown[]) => {
  try {
    parseStreamEntries(entries);
    return 'no error';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('streams: in eventsub-relay.yml', () => {
  it('names the field of each mistake and says what to write instead', () => {
    expect(problem([{ name: 'overlay', token: 'short' }])).toBe(
      'streams[0].token: must be at least 16 characters; leave it out to have one generated into DATA_DIR',
    );
    expect(problem([{ name: 'a b' }])).toMatch(/^streams\[0\]\.name: must be letters, digits, - or _/);
    expect(problem([{ name: 'x' }, { name: 'x' }])).toBe(
      'streams[1].name: "x" is used twice; stream names must be unique',
    );
    expect(problem([{ name: 'x', filter: { type: ['channel.follow'] } }])).toMatch(
      /^streams\[0\]\.filter\.type: unknown key; did you mean "types"\?/,
    );
    expect(problem([{ name: 'x', maxclients: 3 }])).toMatch(
      /^streams\[0\]\.maxclients: unknown key; did you mean "maxClients"\?/,
    );
    expect(problem([{ name: 'x', maxClients: 0 }])).toMatch(/^streams\[0\]\.maxClients: /);
    expect(problem(['overlay'])).toBe(
      'streams[0]: must be a mapping with at least `name` (e.g. `- name: overlay`)',
    );
  });

  it('gives a missing token the one provisioned into DATA_DIR (0600) once and read back on the next start', () => {
    const dir = tempDir();
    try {
      const settings = {
        dataDir: dir.path,
        webhook: { secret: 'a-test-secret-123', previousSecrets: [] },
        delivery: { forwardUrls: [] },
      };
      const entries = parseStreamEntries([{ name: 'overlay' }]);
      expect(entries[0]!.token).toBeUndefined();
      const [first] = withStreamTokens(entries, provisionDataDir(settings, ['overlay']).streamTokens);
      const file = join(dir.path, 'stream-token-overlay');
      expect(first!.tokenFile).toEqual({ path: file, generated: true });
      expect(first!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(first!.token);
      const [again] = withStreamTokens(entries, provisionDataDir(settings, ['overlay']).streamTokens);
      expect(again!.token).toBe(first!.token);
      expect(again!.tokenFile?.generated).toBe(false);
    } finally {
      dir.cleanup();
    }
  });

  it('compiles the filter with the sink filter syntax, defaults maxClients to 10', () => {
    const [stream] = parseStreamEntries([
      { name: 'f', token: 'x'.repeat(16), filter: { types: ['channel.*'] } },
    ]);
    expect(stream!.maxClients).toBe(10);
    expect(stream!.allowOrigin).toEqual([]);
    expect(stream!.admits(envelopeFrom('notification.channel.follow.v2.json'))).toBe(true);
    expect(stream!.admits(envelopeFrom('notification.stream.online.v1.json'))).toBe(false);
  });
});

describe('stream tokens', () => {
  it('takes a Bearer header before ?token=, and compares exactly', () => {
    expect(presentedToken('Bearer abc', new URLSearchParams('token=def'))).toBe('abc');
    expect(presentedToken(undefined, new URLSearchParams('token=def'))).toBe('def');
    expect(presentedToken('Basic abc', new URLSearchParams())).toBeUndefined();
    expect(tokenMatches('secret-token', 'secret-token')).toBe(true);
    expect(tokenMatches('secret-toke', 'secret-token')).toBe(false);
    expect(tokenMatches('secret-token-', 'secret-token')).toBe(false);
    expect(tokenMatches(undefined, 'secret-token')).toBe(false);
  });
});
