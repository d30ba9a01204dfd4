import { loadEnvironment } from '../config/environment.js';

let current: NodeJS.ProcessEnv | undefined;

/** Reads the environment once for this run of the command (program.ts, before any action). */
export function readCliEnvironment(envFile: string | undefined): NodeJS.ProcessEnv {
  current = loadEnvironment(envFile);
  return current;
}

/** The environment the CLI's entry read, for the command that runs. */
export function cliEnvironment(): NodeJS.ProcessEnv {
  if (!current) throw new Error('the environment is read by the program before a command runs');
  return current;
}
