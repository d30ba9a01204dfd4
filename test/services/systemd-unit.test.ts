import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/nginx-fixture.js';
import { tempDir } from '../support/temp-dir.js';

const UNIT = join(REPO_ROOT, 'deploy', 'systemd', 'eventsub-relay.service');

describe('deploy/systemd/eventsub-relay.service (static checks)', () => {
  it('systemd-analyze verify prints nothing (it exits 0 even on unknown keys)', () => {
    const dir = tempDir('eventsub-unit-');
    try {
      const unit = join(dir.path, 'eventsub-relay.service');
      copyFileSync(UNIT, unit);
      const r = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(0);
      expect(`${r.stdout}${r.stderr}`).toBe('');
    } finally {
      dir.cleanup();
    }
  });

  it('systemd-analyze security --offline=true rates exposure at most 2.0', () => {
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    const match = /Overall exposure level for eventsub-relay\.service: ([\d.]+)/.exec(r.stdout);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeLessThanOrEqual(2.0);
  });

  it('allows the pkey_* syscalls Node 20 needs beside @system-service (else SIGSYS on systemd 252)', () => {
    expect(readFileSync(UNIT, 'utf8')).toMatch(
      /^SystemCallFilter=@system-service pkey_alloc pkey_free pkey_mprotect$/m,
    );
  });
});
