import { cliEnvironment } from './environment.js';
import { storeLocation, type StoreLocation } from '../config/store-location.js';
import { maskUrlCredentials } from '../config/redacted-config.js';
import { openStore } from '../store/open-store.js';
import { storeExists as storeExistsAt } from '../store/store-presence.js';
import type { DeliveryQueue, EventInspector } from '../store/store.js';
import { describeStore } from './startup-line.js';
import { verboseNote } from './cli-notes.js';
import { UserError } from './user-error.js';

/** The store a command wanted to read does not exist there: nothing was ever stored at that place. */
export class NoStoreError extends UserError {
  constructor(location: StoreLocation) {
    const where = location.fromStoreUrl
      ? `${describeStore(location.storeUrl)} (STORE_URL)`
      : `${describeStore(location.storeUrl)} (DATA_DIR=${location.dataDir}, STORE_URL unset)`;
    super(
      `no eventsub-relay store at ${where}: no relay has stored anything there, and this command created nothing. ` +
        'Run it where the relay runs, with the same .env, DATA_DIR and STORE_URL ' +
        '(for the installed service: `sudo eventsub-relay …`), or start the relay there once with `eventsub-relay serve`.',
    );
    this.name = 'NoStoreError';
  }
}

/** Whether the store at `location` exists, checked without creating it (no file, no tables). */
export async function storeExists(location: StoreLocation): Promise<boolean> {
  const { storeUrl } = location;
  try {
    return await storeExistsAt(storeUrl);
  } catch (error) {
    // Only a networked store can fail to answer (SQLite's check is a file lookup).
    throw new UserError(
      `cannot reach the PostgreSQL store ${maskUrlCredentials(storeUrl)} (${(error as Error).message}); ` +
        'check STORE_URL and that the server runs',
    );
  }
}

/**
 * Opens the store the service uses (same env / .env) only if it exists — a command that reads must
 * not create an empty one in the wrong place and report "no events" — runs `work`, and closes it.
 * `--verbose` says which store it opened. Commands read it and replay (requeue); none stores events.
 */
export async function withStore<T>(work: (store: EventInspector & DeliveryQueue) => Promise<T>): Promise<T> {
  const location = storeLocation(cliEnvironment());
  verboseNote(
    `store: ${describeStore(location.storeUrl)} ${location.fromStoreUrl ? '(STORE_URL)' : `(STORE_URL unset: the default in DATA_DIR ${location.dataDir})`}`,
  );
  if (!(await storeExists(location))) throw new NoStoreError(location);
  const store = await openStore(location.storeUrl);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
