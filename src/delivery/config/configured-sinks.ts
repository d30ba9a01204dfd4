import type { RelayConfig } from '../../config/relay-config.js';
import { createSinkRegistry } from '../../sinks/registry.js';
import { forwardSinkNames } from './resolve-sinks.js';
import { parseSinkEntries } from './sink-config.js';

/**
 * The names of the sinks a relay started with this config delivers to (the config file's, then
 * FORWARD_URL's, else the default `log`), as resolveSinks names them, found without provisioning
 * anything: for commands that must know which sinks exist.
 */
export function configuredSinkNames(config: Pick<RelayConfig, 'delivery' | 'file'>): string[] {
  const names = [
    ...parseSinkEntries(createSinkRegistry(), config.file.sinks).map((definition) => definition.name),
    ...forwardSinkNames(config.delivery.forwardUrls.length),
  ];
  return names.length > 0 ? names : ['log'];
}
