import { loadConfigFile } from '../../config/config-file.js';
import { parseEnv } from '../../config/parse-env.js';
import { createSinkRegistry } from '../../sinks/registry.js';
import { forwardSinkNames } from './resolve-sinks.js';
import { parseSinkEntries } from './sink-config.js';

/**
 * The names of the sinks a relay started with this environment delivers to (the config file's, then
 * FORWARD_URL's, else the default `log`), as resolveSinks names them, but found without its side
 * effects (no generated forward-secret): for commands that must know which sinks exist.
 */
export function configuredSinkNames(env: NodeJS.ProcessEnv = process.env): string[] {
  const parsed = parseEnv(env);
  const file = loadConfigFile(parsed.CONFIG_FILE, env);
  const names = [
    ...parseSinkEntries(createSinkRegistry(), file.sinks ?? []).map((definition) => definition.name),
    ...forwardSinkNames(parsed.FORWARD_URL.length),
  ];
  return names.length > 0 ? names : ['log'];
}
