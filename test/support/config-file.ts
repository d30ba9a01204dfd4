import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { tempDir } from './temp-dir.js';

/** Writes an eventsub-relay.yml with these sinks into a temp folder; returns its path. */
export function writeSinksConfig(sinks: unknown[], cleanups: (() => void)[]): string {
  const dir = tempDir('relay-config-');
  cleanups.push(dir.cleanup);
  const path = join(dir.path, 'eventsub-relay.yml');
  writeFileSync(path, stringify({ sinks }));
  return path;
}

export const TEST_WEBHOOK_SECRET =
  'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
/** Fast schedule so retry tests take milliseconds, not minutes. */
export const FAST_RETRY = { schedule: [0.1, 0.1, 0.1], jitter: 0 };
