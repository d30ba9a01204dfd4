import type { RelayConfig } from '../../config/relay-config.js';
import { generateWebhookSecret, loadOrCreateSecret, type PersistedSecret } from '../../config/secret-file.js';
import { ConfigError } from '../../config/errors.js';
import type { SinkRegistry } from '../../sinks/registry.js';
import { MAX_DELIVERIES_PER_EVENT } from '../../store/store.js';
import { parseSinkEntries, parseSinkEntry, type SinkDefinition } from './sink-config.js';

export const FORWARD_SECRET_FILE = 'forward-secret';

/** The names FORWARD_URL's http sinks get: `forward` for one URL, `forward-1`, `forward-2`, … for several. */
export function forwardSinkNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => (count === 1 ? 'forward' : `forward-${index + 1}`));
}

export interface ResolvedSinks {
  definitions: SinkDefinition[];
  /** Set when FORWARD_SECRET was generated into DATA_DIR on this start (logged once). */
  generatedForwardSecret?: PersistedSecret;
}

/**
 * The sinks this relay delivers to: those in the config file, plus one `http` sink per FORWARD_URL
 * (`forward`, or `forward-1`, `forward-2`, … for several); with none at all, the `log` sink. Names
 * are unique across both (deliveries are tracked per sink name), else a ConfigError.
 */
export function resolveSinks(config: RelayConfig, kinds: SinkRegistry): ResolvedSinks {
  const { file } = config;
  const definitions = parseSinkEntries(kinds, file.sinks);
  let generatedForwardSecret: PersistedSecret | undefined;

  if (config.forwardUrls.length > 0) {
    let secret = config.forwardSecret;
    if (!secret) {
      const persisted = loadOrCreateSecret(config.dataDir, FORWARD_SECRET_FILE, generateWebhookSecret);
      if (persisted.generated) generatedForwardSecret = persisted;
      secret = persisted.value;
    }
    const names = forwardSinkNames(config.forwardUrls.length);
    config.forwardUrls.forEach((url, index) => {
      const name = names[index]!;
      const taken = definitions.findIndex((definition) => definition.name === name);
      if (taken !== -1) {
        throw new ConfigError(
          'FORWARD_URL',
          `adds an http sink named "${name}", but sinks[${taken}] in ${file.path} already has that name; ` +
            'rename that sink (FORWARD_URL names its sinks forward, or forward-1, forward-2, … for several URLs)',
        );
      }
      definitions.push(
        parseSinkEntry(kinds, { name, kind: 'http', url, secret }, `FORWARD_URL (entry ${index + 1})`),
      );
    });
  }
  if (definitions.length > MAX_DELIVERIES_PER_EVENT) {
    throw new ConfigError(
      'sinks',
      `lists ${definitions.length} sinks (with FORWARD_URL's); at most ${MAX_DELIVERIES_PER_EVENT} are supported: merge some with filters`,
    );
  }
  if (definitions.length === 0) {
    definitions.push(parseSinkEntry(kinds, { name: 'log', kind: 'log' }, 'the default log sink'));
  }
  return { definitions, ...(generatedForwardSecret && { generatedForwardSecret }) };
}
