import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { chooseShard } from '../../src/transports/conduit/shard-choice.js';
import { MemoryShardClaims } from '../support/memory-shard-claims.js';
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
    // Unset: decided against the store (claimed on a store shared by replicas, else shard 0: chooseShard).
    expect(load({ TRANSPORT: 'conduit' }).shard).toBeUndefined();
    expect(load({ TRANSPORT: 'conduit', CONDUIT_SHARD: 'auto' }).shard).toBe('auto');
  });

  it('CONDUIT_CLAIM_LEASE_MS: 15 s unless set; below 500 ms is refused', () => {
    const lease = (env: Record<string, string>) => {
      const dir = tempDir();
      try {
        return loadRelayConfig({ DATA_DIR: dir.path, TRANSPORT: 'conduit', ...env }).conduit.claimLeaseMs;
      } finally {
        dir.cleanup();
      }
    };
    expect(lease({})).toBe(15_000);
    expect(lease({ CONDUIT_CLAIM_LEASE_MS: '3000' })).toBe(3000);
    expect(() => lease({ CONDUIT_CLAIM_LEASE_MS: '100' })).toThrow('CONDUIT_CLAIM_LEASE_MS');
  });

  describe('which shard a relay serves (chooseShard)', () => {
    const sqlite = { sharedByReplicas: false };
    const postgres = { sharedByReplicas: true, shardClaims: new MemoryShardClaims() };
    it('CONDUIT_SHARD=<n> serves n on any store; unset serves 0 on a store one relay serves', () => {
      expect(chooseShard(3, 'websocket', postgres)).toEqual({ kind: 'fixed', shard: 3 });
      expect(chooseShard(1, 'webhook', sqlite)).toEqual({ kind: 'fixed', shard: 1 });
      expect(chooseShard(undefined, 'webhook', sqlite)).toEqual({ kind: 'fixed', shard: 0 });
    });
    it('unset or auto on a store shared by replicas claims through its ShardClaims', () => {
      expect(chooseShard(undefined, 'websocket', postgres)).toEqual({
        kind: 'claimed',
        claims: postgres.shardClaims,
      });
      expect(chooseShard('auto', 'websocket', postgres)).toEqual({
        kind: 'claimed',
        claims: postgres.shardClaims,
      });
    });
    it('auto without shard claims, or claimed webhook shards: a clear error that needs a person (exit 78)', () => {
      expect(() => chooseShard('auto', 'websocket', sqlite)).toThrow(
        /CONDUIT_SHARD=auto: replicas claim their shards through a store they share \(STORE_URL=postgres/,
      );
      expect(() => chooseShard('auto', 'websocket', sqlite)).toThrow(
        expect.objectContaining({ fatal: true }),
      );
      expect(() => chooseShard(undefined, 'webhook', postgres)).toThrow(
        /replicas claim WebSocket shards only/,
      );
    });
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
