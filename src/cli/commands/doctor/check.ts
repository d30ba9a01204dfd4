import type { SinkDefinition } from '../../../delivery/config/sink-config.js';
import type { DesiredEntry } from '../../../config/subscription-entries.js';
import type { ConduitSettings } from '../../../config/conduit-entry.js';
import type { ParsedEnv } from '../../../config/env-schema.js';
import type { PreparedSubscription } from '../../../subscriptions/prepare.js';
import type { EventInspector, Store, StoreMaintenance } from '../../../store/store.js';
import type { TwitchSubscriptions } from '../../../subscriptions/twitch-api.js';
import type { TokenStore } from '../../../auth/token-store.js';

/**
 * ok ✔, fail ✗ (with a fix), warn ! (worth a look, with a fix), skip – (could not be checked
 * because an earlier check failed, with what it needs).
 */
export type Status = 'ok' | 'fail' | 'warn' | 'skip';

/** One line of the report. `hard` is its check's: a hard finding that failed makes `doctor` exit 1. */
export interface Finding {
  /** Stable id for scripts (`--json`), e.g. `tls.name`. */
  id: string;
  title: string;
  status: Status;
  /** What was found, in words. */
  detail: string;
  /** What to do, for fail and warn. */
  fix?: string;
  hard: boolean;
}

/** Where the TLS and challenge checks connect instead of PUBLIC_URL's host:443 (curl's --connect-to). */
export interface ConnectTo {
  host: string;
  port: number;
}

export interface DoctorOptions {
  /** Extra trusted CA certificates (PEM), e.g. a test CA; the system's roots are always trusted. */
  ca?: string;
  /** For connections to `name`:`port` (PUBLIC_URL's host and 443), connect to `to` instead. */
  connectTo?: { name: string; port: number; to: ConnectTo };
  /** DNS server to ask for PUBLIC_URL's A record instead of the system's (address[:port]). */
  dnsServer?: string;
  timeoutMs: number;
}

/** The configuration as doctor reads it: found without creating anything (no DATA_DIR, no secret). */
export interface InspectedConfig {
  env: ParsedEnv;
  dataDir: string;
  storeUrl: string;
  fromStoreUrl: boolean;
  /** The current EventSub secret and where it comes from; undefined when none exists yet. */
  secret?: { value: string; source: string; path?: string };
  configFilePath?: string;
  sinks: SinkDefinition[];
  subscriptions: DesiredEntry[];
  /** The config file's `conduit:` (TRANSPORT=conduit). */
  conduit?: ConduitSettings;
}

/** What the checks find out and later checks build on; each field is set by the check that owns it. */
export interface DoctorState {
  options: DoctorOptions;
  config?: InspectedConfig;
  /** Read (counts, backlog, shard claims) and probed (writable), never written with events. */
  store?: EventInspector & StoreMaintenance & Pick<Store, 'shardClaims' | 'sharedByReplicas'>;
  credentials?: { clientId: string; clientSecret: string };
  tokens?: TokenStore;
  twitch?: TwitchSubscriptions;
  /** The config file's subscriptions, resolved and scope-checked. */
  prepared?: PreparedSubscription[];
  /** PUBLIC_URL's host, its A records, and whether each is this host's. */
  publicHost?: { name: string; addresses: string[] };
  /** The local challenge went through: the relay runs and takes this secret. */
  relayAnswers?: boolean;
  /** The relay itself refused this command's secret (so a refusal through nginx means the same). */
  relayRejectsSecret?: boolean;
}

/** One check: reads and extends the state, returns its findings (an exception is a failed finding). */
export interface Check {
  id: string;
  title: string;
  /** Failures of this check affect the exit code. */
  hard: boolean;
  run(state: DoctorState): Promise<Finding[]>;
}

/** Builders for a check's findings, with its id, title and hardness filled in. */
export function findings(check: Pick<Check, 'id' | 'title' | 'hard'>) {
  const make =
    (status: Status) =>
    (detail: string, fix?: string, part?: { id: string; title: string }): Finding => ({
      id: part ? `${check.id}.${part.id}` : check.id,
      title: part?.title ?? check.title,
      status,
      detail,
      ...(fix !== undefined && { fix }),
      hard: check.hard,
    });
  return { ok: make('ok'), fail: make('fail'), warn: make('warn'), skip: make('skip') };
}
