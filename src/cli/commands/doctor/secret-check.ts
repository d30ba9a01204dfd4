import { statSync } from 'node:fs';
import { callbackNeeded } from './callback-needed.js';
import { findings, type Check } from './check.js';

/** Where the EventSub secret comes from, and that its file is private. */
export const secretCheck: Check = {
  id: 'secret',
  title: 'EventSub secret',
  hard: true,
  async run(state) {
    const f = findings(secretCheck);
    const config = state.config;
    if (!config) return [f.skip('needs a valid configuration')];
    if (!callbackNeeded(config.env))
      return [
        f.ok(
          `not used: with TRANSPORT=${config.env.TRANSPORT} nothing is signed (the relay opens the connection)`,
        ),
      ];
    const previous = config.env.EVENTSUB_PREVIOUS_SECRETS.length;
    const rotating =
      previous > 0 ? `; ${previous} previous secret(s) still accepted (EVENTSUB_PREVIOUS_SECRETS)` : '';
    if (!config.secret) {
      return [
        f.fail(
          'none yet: EVENTSUB_SECRET is unset and DATA_DIR holds no eventsub-secret',
          '`eventsub-relay serve` generates one into DATA_DIR/eventsub-secret at its first start (or set EVENTSUB_SECRET)',
        ),
      ];
    }
    if (config.secret.path) {
      const mode = statSync(config.secret.path).mode & 0o777;
      if (mode & 0o077) {
        return [
          f.warn(
            `from ${config.secret.source}, but that file is readable by others (mode ${mode.toString(8)})`,
            `chmod 600 ${config.secret.path} (the relay also sets it at its next start)`,
          ),
        ];
      }
      return [
        f.ok(`from ${config.secret.source} (generated, mode 600; EVENTSUB_SECRET is unset)${rotating}`),
      ];
    }
    return [f.ok(`from EVENTSUB_SECRET${rotating}`)];
  },
};
