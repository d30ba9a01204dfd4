import { ConfigError } from '../../../config/errors.js';
import { findings, type Check } from './check.js';
import { inspectConfig } from './inspect-config.js';
import { messageOf } from './runner.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The environment (and .env) and the config file: what `serve` would refuse to start with. */
export function configCheck(env: NodeJS.ProcessEnv): Check {
  const check: Check = {
    id: 'config',
    title: 'configuration',
    hard: true,
    async run(state) {
      const f = findings(check);
      try {
        state.config = inspectConfig(env);
      } catch (error) {
        const where = error instanceof ConfigError ? `${error.path}: ${error.problem}` : messageOf(error);
        return [
          f.fail(
            where,
            'fix that value (environment, .env or the config file); `eventsub-relay serve` refuses to start with it',
          ),
        ];
      }
      const { configFilePath, sinks, subscriptions } = state.config;
      const file = configFilePath
        ? `${configFilePath}: ${plural(sinks.length, 'sink', 'sinks')}, ${plural(subscriptions.length, 'subscription', 'subscriptions')}`
        : 'no config file (CONFIG_FILE unset and no ./eventsub-relay.yml)';
      return [f.ok(`environment valid; ${file}`)];
    },
  };
  return check;
}
