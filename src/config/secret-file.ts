import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A secret read from or generated into a file in DATA_DIR. */
export interface PersistedSecret {
  value: string;
  path: string;
  /** True when this start created the file: the caller tells the user once where it is. */
  generated: boolean;
}

/**
 * Reads a secret kept in `dataDir/fileName`, or creates it (mode 0600) with `generate()`.
 * Reused on every later start, so a restart never changes what Twitch or consumers were given.
 */
export function loadOrCreateSecret(
  dataDir: string,
  fileName: string,
  generate: () => string,
): PersistedSecret {
  const path = join(dataDir, fileName);
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return { value: readFileSync(path, 'utf8').trim(), path, generated: false };
  }
  const value = generate();
  writeFileSync(path, value + '\n', { mode: 0o600, flag: 'wx' });
  return { value, path, generated: true };
}

/** 64 hex characters: inside Twitch's 10–100 ASCII rule, 256 bits of entropy. */
export const generateEventSubSecret = (): string => randomBytes(32).toString('hex');

/** Standard Webhooks secret form: `whsec_` + base64 of 32 random bytes. */
export const generateWebhookSecret = (): string => 'whsec_' + randomBytes(32).toString('base64');
