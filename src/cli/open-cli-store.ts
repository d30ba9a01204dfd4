import { loadRelayConfig } from '../config/relay-config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** Opens the store the service uses (same env / .env), runs `work`, and always closes it. */
export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const config = loadRelayConfig(process.env);
  const store = await openStore(config.storeUrl);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
