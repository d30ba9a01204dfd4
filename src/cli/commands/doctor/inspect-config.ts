import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../../config/config-file.js';
import { eventSubSecretSchema } from '../../../config/env-schema.js';
import { ConfigError } from '../../../config/errors.js';
import { parseEnv } from '../../../config/parse-env.js';
import { SECRET_FILE_NAME } from '../../../config/provision.js';
import { displayPath } from '../../../config/secret-source.js';
import { storeLocation } from '../../../config/store-location.js';
import { parseDesired } from '../../../config/subscription-entries.js';
import { parseConduit } from '../../../config/conduit-entry.js';
import { parseSinkEntries } from '../../../delivery/config/sink-config.js';
import { createSinkRegistry } from '../../../sinks/registry.js';
import { parseStreamEntries } from '../../../stream/stream-config.js';
import { parseAlerts } from '../../../alerts/alert-config.js';
import type { InspectedConfig } from './check.js';

/**
 * Reads and validates what `serve` would (environment, config file, its sinks, streams and subscriptions)
 * but creates nothing: the EventSub secret is read from EVENTSUB_SECRET or DATA_DIR/eventsub-secret
 * if that exists, never generated. Throws ConfigError like the relay's start would.
 */
export function inspectConfig(env: NodeJS.ProcessEnv): InspectedConfig {
  const parsed = parseEnv(env);
  const location = storeLocation(env);
  const file = loadConfigFile(parsed.CONFIG_FILE, env);
  const sinks = parseSinkEntries(createSinkRegistry(), file.sinks ?? []);
  const subscriptions = parseDesired(file.subscriptions);
  const conduit = parseConduit(file.conduit);
  // Checked as `serve` checks them (tokens are never generated here).
  const streams = parseStreamEntries(file.streams ?? []);
  parseAlerts(file.alerts, { dataDir: location.dataDir, streamNames: streams.map((stream) => stream.name) });
  return {
    env: parsed,
    dataDir: location.dataDir,
    storeUrl: location.storeUrl,
    fromStoreUrl: location.fromStoreUrl,
    ...secretOf(parsed.EVENTSUB_SECRET, location.dataDir),
    ...(file.path && { configFilePath: file.path }),
    sinks,
    subscriptions,
    ...(conduit && { conduit }),
  };
}

function secretOf(fromEnv: string | undefined, dataDir: string): Pick<InspectedConfig, 'secret'> {
  if (fromEnv) return { secret: { value: fromEnv, source: 'EVENTSUB_SECRET' } };
  const path = join(dataDir, SECRET_FILE_NAME);
  if (!existsSync(path)) return {};
  const value = readFileSync(path, 'utf8').trim();
  const check = eventSubSecretSchema.safeParse(value);
  if (!check.success)
    throw new ConfigError(path, `${check.error.issues[0]?.message}; fix or delete the file`);
  return { secret: { value, source: displayPath(path), path } };
}
