/**
 * A configuration problem found at start-up. `path` names the variable or config-file field
 * (e.g. `EVENTSUB_SECRET`, `sinks[1].url`); the message says what is expected instead.
 */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ConfigError';
  }
}
