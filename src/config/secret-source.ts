import { isAbsolute, relative } from 'node:path';
import type { PersistedSecret } from './secret-file.js';

/**
 * A path as a person should read it: relative to the working directory when it lies inside it
 * (`data/eventsub-secret` after `npm start`), else as given.
 */
export function displayPath(path: string, cwd = process.cwd()): string {
  const inside = relative(cwd, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/**
 * Where the current EventSub secret comes from, in words: `EVENTSUB_SECRET`, or the file it was
 * generated into (`data/eventsub-secret`) when that variable is unset.
 */
export function eventSubSecretSource(secretFile: PersistedSecret | undefined): string {
  return secretFile ? displayPath(secretFile.path) : 'EVENTSUB_SECRET';
}

/**
 * The 403 `invalid_signature` message. It is also the HTTP answer, so a file outside the working
 * directory is named as DATA_DIR/… rather than by its absolute path.
 */
export function invalidSignatureMessage(secretFile: PersistedSecret | undefined): string {
  const source = secretFile
    ? `the secret in ${isAbsolute(displayPath(secretFile.path)) ? 'DATA_DIR/eventsub-secret' : displayPath(secretFile.path)} (generated there because EVENTSUB_SECRET is not set)`
    : 'EVENTSUB_SECRET';
  return (
    `signature does not match: the subscription was created with a different secret than ${source}; ` +
    'recreate the subscriptions with this secret: `eventsub-relay sync --rotate-secret`'
  );
}
