import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/errors.js';
import { provisionDataDir, provisionEventSubSecret } from '../../src/config/provision.js';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { tempDir } from '../support/temp-dir.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('provisioning DATA_DIR: the one step that writes before a relay starts', () => {
  it('creates DATA_DIR (0700) and a 0600 EventSub secret once, then reads it back', () => {
    const dir = tempDir();
    try {
      const config = loadRelayConfig({ DATA_DIR: join(dir.path, 'data') });
      expect(existsSync(config.dataDir)).toBe(false);
      const first = provisionDataDir(config);
      expect(mode(config.dataDir)).toBe(0o700);
      expect(first.eventSub.secrets).toHaveLength(1);
      expect(first.eventSub.secrets[0]).toMatch(/^[0-9a-f]{64}$/);
      expect(first.eventSub.file).toMatchObject({
        path: join(config.dataDir, 'eventsub-secret'),
        generated: true,
      });
      expect(mode(first.eventSub.file!.path)).toBe(0o600);
      const again = provisionDataDir(loadRelayConfig({ DATA_DIR: config.dataDir }));
      expect(again.eventSub.secrets[0]).toBe(first.eventSub.secrets[0]);
      expect(again.eventSub.file?.generated).toBe(false);
      expect(first.forwardSecret).toBeUndefined();
      expect(first.streamTokens.size).toBe(0);
    } finally {
      dir.cleanup();
    }
  });

  it('EVENTSUB_SECRET and previous secrets: used as given, nothing written', () => {
    const dir = tempDir();
    try {
      const dataDir = join(dir.path, 'data');
      const config = loadRelayConfig({
        DATA_DIR: dataDir,
        EVENTSUB_SECRET: 'current-secret-123',
        EVENTSUB_PREVIOUS_SECRETS: 'previous-secret-123',
      });
      expect(provisionEventSubSecret(config)).toEqual({
        secrets: ['current-secret-123', 'previous-secret-123'],
      });
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      dir.cleanup();
    }
  });

  it('FORWARD_URL without FORWARD_SECRET: a 0600 whsec_ secret kept in DATA_DIR; with it, nothing written', () => {
    const dir = tempDir();
    try {
      const env = {
        DATA_DIR: dir.path,
        EVENTSUB_SECRET: 'a-test-secret-123',
        FORWARD_URL: 'http://127.0.0.1:9/hook',
      };
      const generated = provisionDataDir(loadRelayConfig(env));
      expect(generated.forwardSecret?.value).toMatch(/^whsec_/);
      expect(generated.forwardSecret?.file).toMatchObject({
        path: join(dir.path, 'forward-secret'),
        generated: true,
      });
      expect(mode(join(dir.path, 'forward-secret'))).toBe(0o600);
      const given = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
      const other = tempDir();
      try {
        const fromEnv = provisionDataDir(
          loadRelayConfig({ ...env, DATA_DIR: other.path, FORWARD_SECRET: given }),
        );
        expect(fromEnv.forwardSecret).toEqual({ value: given });
        expect(existsSync(join(other.path, 'forward-secret'))).toBe(false);
      } finally {
        other.cleanup();
      }
    } finally {
      dir.cleanup();
    }
  });

  it('a broken secret file is a ConfigError naming the file and what to do', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'eventsub-secret'), 'short\n');
      expect(() => provisionDataDir(loadRelayConfig({ DATA_DIR: dir.path }))).toThrow(ConfigError);
      expect(() => provisionDataDir(loadRelayConfig({ DATA_DIR: dir.path }))).toThrow(
        /fix or delete the file/,
      );
      expect(readFileSync(join(dir.path, 'eventsub-secret'), 'utf8')).toBe('short\n');
    } finally {
      dir.cleanup();
    }
  });

  it('a DATA_DIR that cannot be created is a ConfigError naming DATA_DIR', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'a-file'), '');
      const config = loadRelayConfig({ DATA_DIR: join(dir.path, 'a-file', 'data') });
      expect(() => provisionDataDir(config)).toThrow(/^DATA_DIR: cannot create .*choose a writable folder/);
    } finally {
      dir.cleanup();
    }
  });
});
