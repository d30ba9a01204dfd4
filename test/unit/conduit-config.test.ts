import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { tempDir } from '../support/temp-dir.js';

function load(env: Record<string, string>, yaml?: string) {
  const dir = tempDir();
  try {
    const file = join(dir.path, 'eventsub-relay.yml');
    if (yaml !== undefined) writeFileSync(file, yaml);
    const config = loadRelayConfig({
      DATA_DIR: dir.path,
      ...(yaml !== undefined && { CONFIG_FILE: file }),
      ...env,
    });
    return { transport: config.transport, shard: config.conduit.shard, conduit: config.file.conduit };
  } finally {
    dir.cleanup();
  }
}

describe('TRANSPORT=conduit configuration', () => {
  it('takes TRANSPORT=conduit, CONDUIT_SHARD and conduit: { id, shards }', () => {
    expect(load({ TRANSPORT: 'conduit', CONDUIT_SHARD: '3' }, 'conduit: { id: abc, shards: 4 }\n')).toEqual({
      transport: 'conduit',
      shard: 3,
      conduit: { id: 'abc', shards: 4 },
    });
    // No id: the relay creates one; one shard unless told.
    expect(load({ TRANSPORT: 'conduit' }, 'conduit: {}\n').conduit).toEqual({ shards: 1 });
    expect(load({ TRANSPORT: 'conduit' }).shard).toBe(0);
  });

  it.each([
    ['conduit: { shards: 0 }\n', 'conduit.shards: must be at least 1'],
    ['conduit: { shards: 20001 }\n', 'conduit.shards: Twitch allows at most 20000 shards per conduit'],
    ['conduit: { shards: 1.5 }\n', 'conduit.shards: must be a whole number'],
    ['conduit: { shard: 2 }\n', 'conduit: Unrecognized key: "shard"'],
    ['conduit: [1]\n', 'conduit: '],
  ])('refuses %j with the field and what is expected', (yaml, message) => {
    expect(() => load({ TRANSPORT: 'conduit' }, yaml)).toThrow(message);
  });

  it.each(['-1', '1.5', 'two'])('refuses CONDUIT_SHARD=%s', (value) => {
    expect(() => load({ TRANSPORT: 'conduit', CONDUIT_SHARD: value })).toThrow(
      'CONDUIT_SHARD: must be a shard id: a whole number from 0 to the conduit shard count - 1',
    );
  });
});
