import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { writeSinksConfig } from './config-file.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { followNotification, signedRequest } from './sign.js';
import { tempDir } from './temp-dir.js';

export const SINKS_RELAY_SECRET = 'broker-relay-secret';

/** A relay process with these sinks, a second handle on its SQLite store, and a signed-POST helper. */
export interface SinksRelay {
  relay: RelayProcess;
  dataDir: string;
  store: SqliteStore;
  /** POSTs a new signed notification to /callback; returns its message id (throws unless 204). */
  postEvent(): Promise<string>;
  /** Each of these events' attempts on `sink`: their errors (undefined = success) and current status. */
  deliveryOf(id: string, sink: string): Promise<{ status?: string; errors: (string | undefined)[] }>;
}

/** Starts `eventsub-relay serve` with `sinks` as its config file; everything is undone by `cleanups`. */
export async function startSinksRelay(sinks: unknown[], cleanups: (() => unknown)[]): Promise<SinksRelay> {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const storeUrl = `sqlite:${join(dir.path, 'relay.sqlite')}`;
  const relay = await startRelayProcess({
    EVENTSUB_SECRET: SINKS_RELAY_SECRET,
    DATA_DIR: dir.path,
    STORE_URL: storeUrl,
    CONFIG_FILE: writeSinksConfig(sinks, cleanups as (() => void)[]),
  });
  cleanups.push(async () => {
    relay.child.kill('SIGTERM');
    await relay.exited;
  });
  const store = SqliteStore.open(storeUrl.slice('sqlite:'.length));
  cleanups.push(() => store.close());
  return {
    relay,
    dataDir: dir.path,
    store,
    postEvent: async () => {
      const signed = signedRequest(SINKS_RELAY_SECRET, followNotification());
      const res = await fetch(`${relay.url}/callback`, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      });
      if (res.status !== 204) throw new Error(`relay answered ${res.status}: ${await res.text()}`);
      return signed.messageId;
    },
    deliveryOf: async (id, sink) => {
      const detail = await store.getEvent(id);
      return {
        status: detail?.deliveries.find((d) => d.sink === sink)?.status,
        errors: detail?.attempts.filter((a) => a.sink === sink).map((a) => a.error) ?? [],
      };
    },
  };
}
