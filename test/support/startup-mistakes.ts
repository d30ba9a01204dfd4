import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, runCli } from './relay-process.js';

/** A mistake in the config file that stops `serve`: what to add beside the sinks under test, what it prints. */
export interface StartupMistake {
  mistake: string;
  /** Sinks to list after the ones under test, and other top-level keys, for a config file in `dir`. */
  add(dir: string): { sinks: unknown[]; config: Record<string, unknown> };
  error(dir: string): string;
}

/**
 * One mistake the config check finds before anything is built (the one first reported: it used to
 * hang beside a broker sink), and one only building the sinks finds, after the sinks listed before
 * it exist (a module sink whose file exports no handler function).
 */
export const STARTUP_MISTAKES: StartupMistake[] = [
  {
    mistake: 'an invalid streams name',
    add: () => ({ sinks: [], config: { streams: [{ name: 'not a name' }] } }),
    error: () => 'eventsub-relay: configuration error: streams[0].name: must be letters',
  },
  {
    mistake: 'a module sink, built after it, whose file has no default export',
    add: (dir) => {
      writeFileSync(join(dir, 'handlers.mjs'), 'export const notTheDefault = () => undefined;\n');
      return { sinks: [{ name: 'handlers', kind: 'module', path: join(dir, 'handlers.mjs') }], config: {} };
    },
    error: (dir) =>
      `eventsub-relay: configuration error: sinks.handlers.path: ${join(dir, 'handlers.mjs')} must export a default function`,
  },
];

/** `serve` with these sinks (then the mistake's) in its config file, run to its end (killed after 20 s: code -1). */
export async function serveWithMistake(dir: string, sinks: unknown[], mistake: StartupMistake) {
  const added = mistake.add(dir);
  const configFile = join(dir, 'eventsub-relay.yml');
  writeFileSync(configFile, stringify({ sinks: [...sinks, ...added.sinks], ...added.config }));
  const port = await freePort();
  const result = await runCli(
    ['serve'],
    {
      DATA_DIR: join(dir, 'data'),
      CONFIG_FILE: configFile,
      EVENTSUB_SECRET: 'startup-failure-secret-42',
      PORT: String(port),
      STORE_URL: undefined,
    },
    { cwd: dir },
  );
  return { ...result, port };
}
