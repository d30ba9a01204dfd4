import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withOverrides } from '../../src/config/environment.js';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { tempDir } from '../support/temp-dir.js';

describe('command-line flags over the environment (serve --port, --host, --data-dir)', () => {
  it('override their variables in a copy: the config and the config file see them, process.env is untouched', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'eventsub-relay.yml');
      writeFileSync(
        file,
        'sinks:\n  - { name: hook, kind: http, url: "http://127.0.0.1:${PORT}/hook", secret: "${S}" }\n',
      );
      const before = { ...process.env };
      const env = withOverrides(
        { PORT: '8080', CONFIG_FILE: file, S: 'whsec_' + 'A'.repeat(32), DATA_DIR: dir.path },
        { PORT: '9123', HOST: undefined, DATA_DIR: join(dir.path, 'elsewhere') },
      );
      const config = loadRelayConfig(env);
      expect(config.server.port).toBe(9123);
      expect(config.server.host).toBe('127.0.0.1');
      expect(config.dataDir).toBe(join(dir.path, 'elsewhere'));
      expect(config.file.sinks).toEqual([
        { name: 'hook', kind: 'http', url: 'http://127.0.0.1:9123/hook', secret: 'whsec_' + 'A'.repeat(32) },
      ]);
      expect(process.env).toEqual(before);
    } finally {
      dir.cleanup();
    }
  });
});
