/**
 * Side notes a command prints on stderr (never on stdout, which `--json` keeps machine-readable):
 * `--verbose` facts such as which store was opened, and the fake-Twitch reminder.
 */
let verbose = false;

/** Set once from the global `--verbose` flag, before the command runs. */
export function setVerbose(on: boolean): void {
  verbose = on;
}

/** Prints `note` on stderr when `--verbose` was given. */
export function verboseNote(note: string): void {
  if (verbose) process.stderr.write(`${note}\n`);
}

/**
 * The one line every command prints when TWURPLE_MOCK_API_PORT is set: otherwise a leftover export
 * from a trial against `npm run fake-twitch` silently sends real commands to a fake.
 */
export function fakeTwitchNote(env: NodeJS.ProcessEnv): string | undefined {
  const port = env.TWURPLE_MOCK_API_PORT;
  if (!port) return undefined;
  return (
    `note: TWURPLE_MOCK_API_PORT=${port}: Twitch calls (Helix and OAuth) go to the fake Twitch at ` +
    `http://localhost:${port}, not to Twitch; unset it to reach the real one`
  );
}

/** Help text of every `--json` flag, worded the same everywhere. */
export const JSON_HELP = 'print JSON instead of text (for scripts)';

/** Help text of `--verbose` on the commands that read the store. */
export const VERBOSE_HELP = 'also say which store it reads (on stderr)';
