import { UserError } from './user-error.js';
import { ConfigError } from '../config/errors.js';

/** Exit code for configuration errors (sysexits EX_CONFIG): systemd does not restart-loop on it. */
export const EXIT_CONFIG = 78;

/** Prints a failure for a person (what is wrong, what to do) and returns the exit code. */
export function reportFailure(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`eventsub-relay: configuration error: ${error.message}\n`);
    return EXIT_CONFIG;
  }
  if (error instanceof UserError) {
    process.stderr.write(`eventsub-relay: ${error.userMessage}\n`);
    return 1;
  }
  process.stderr.write(`eventsub-relay: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
