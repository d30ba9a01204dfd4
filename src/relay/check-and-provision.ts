import type { RelayConfig } from '../config/relay-config.js';
import { provisionDataDir, type ProvisionedDataDir } from '../config/provision.js';
import { checkSinkNames, resolveSinks } from '../delivery/config/resolve-sinks.js';
import { parseSinkEntries, type SinkDefinition } from '../delivery/config/sink-config.js';
import type { SinkRegistry } from '../sinks/registry.js';
import { parseAlerts, type AlertSettings } from '../alerts/alert-config.js';
import { parseStreamEntries, withStreamTokens, type StreamDefinition } from '../stream/stream-config.js';

/** What the relay is built from once its config has been checked and DATA_DIR provisioned. */
export interface CheckedConfig {
  provisioned: ProvisionedDataDir;
  /** Every sink, from FORWARD_URL and the config file's `sinks:`, validated against its kind. */
  definitions: SinkDefinition[];
  /** The config file's `streams:`, each with its token (generated into DATA_DIR when it names none). */
  streams: StreamDefinition[];
  /** The config file's `alerts:` (or the built-in rules): the alert box of the overlay streams. */
  alerts: AlertSettings;
}

/**
 * Checks everything the config says before DATA_DIR is touched (a mistake creates nothing), then
 * provisions DATA_DIR — the one step that writes before anything runs: the folder, the EventSub
 * secret, FORWARD_URL's signing secret, stream tokens.
 */
export function checkAndProvision(config: RelayConfig, kinds: SinkRegistry): CheckedConfig {
  const { file } = config;
  const fileSinks = parseSinkEntries(kinds, file.sinks);
  checkSinkNames(config.delivery, fileSinks, file.path);
  const streamEntries = parseStreamEntries(file.streams);
  const alerts = parseAlerts(file.alerts, {
    dataDir: config.dataDir,
    streamNames: streamEntries.map((entry) => entry.name),
  });
  const provisioned = provisionDataDir(
    config,
    streamEntries.filter((entry) => entry.token === undefined).map((entry) => entry.name),
  );
  const definitions = resolveSinks(
    config.delivery,
    fileSinks,
    kinds,
    provisioned.forwardSecret?.value,
    file.path,
  );
  return {
    provisioned,
    definitions,
    streams: withStreamTokens(streamEntries, provisioned.streamTokens),
    alerts,
  };
}
