import type { DeliverySettings } from '../../config/relay-config.js';
import { ConfigError } from '../../config/errors.js';
import type { SinkRegistry } from '../../sinks/registry.js';
import { MAX_DELIVERIES_PER_EVENT } from '../../store/store.js';
import { parseSinkEntry, type SinkDefinition } from './sink-config.js';

/** The names FORWARD_URL's http sinks get: `forward` for one URL, `forward-1`, `forward-2`, … for several. */
export function forwardSinkNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => (count === 1 ? 'forward' : `forward-${index + 1}`));
}

/**
 * Checks what the sinks' names and count will be, without any secret: FORWARD_URL's names must not
 * clash with the config file's (deliveries are tracked per sink name) and the total is bounded.
 * Pure, so a start can refuse a mistake before provisioning DATA_DIR.
 */
export function checkSinkNames(
  settings: DeliverySettings,
  fileSinks: readonly Pick<SinkDefinition, 'name'>[],
  configPath = 'the config file',
): void {
  forwardSinkNames(settings.forwardUrls.length).forEach((name) => {
    const taken = fileSinks.findIndex((definition) => definition.name === name);
    if (taken !== -1) {
      throw new ConfigError(
        'FORWARD_URL',
        `adds an http sink named "${name}", but sinks[${taken}] in ${configPath} already has that name; ` +
          'rename that sink (FORWARD_URL names its sinks forward, or forward-1, forward-2, … for several URLs)',
      );
    }
  });
  const total = fileSinks.length + settings.forwardUrls.length;
  if (total > MAX_DELIVERIES_PER_EVENT) {
    throw new ConfigError(
      'sinks',
      `lists ${total} sinks (with FORWARD_URL's); at most ${MAX_DELIVERIES_PER_EVENT} are supported: merge some with filters`,
    );
  }
}

/**
 * The sinks this relay delivers to: the config file's (`fileSinks`, validated by parseSinkEntries),
 * plus one `http` sink per FORWARD_URL (`forward`, or `forward-1`, `forward-2`, … for several),
 * signed with `forwardSecret` (FORWARD_SECRET or the one provisioned in DATA_DIR); with none at all,
 * the `log` sink. Creates nothing.
 */
export function resolveSinks(
  settings: DeliverySettings,
  fileSinks: readonly SinkDefinition[],
  kinds: SinkRegistry,
  forwardSecret: string | undefined,
  configPath?: string,
): SinkDefinition[] {
  checkSinkNames(settings, fileSinks, configPath);
  const definitions = [...fileSinks];
  const names = forwardSinkNames(settings.forwardUrls.length);
  settings.forwardUrls.forEach((url, index) => {
    if (forwardSecret === undefined) throw new Error('FORWARD_URL needs its signing secret provisioned');
    definitions.push(
      parseSinkEntry(
        kinds,
        { name: names[index]!, kind: 'http', url, secret: forwardSecret },
        `FORWARD_URL (entry ${index + 1})`,
      ),
    );
  });
  if (definitions.length === 0) {
    definitions.push(parseSinkEntry(kinds, { name: 'log', kind: 'log' }, 'the default log sink'));
  }
  return definitions;
}
