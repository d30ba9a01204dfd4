import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { registerEvents } from './commands/events/events.js';
import { registerServe } from './commands/serve/serve.js';
import { registerTypes } from './commands/types.js';
import { registerAuth } from './commands/auth/auth.js';
import { registerSubscribe } from './commands/subscribe.js';
import { registerUnsubscribe } from './commands/unsubscribe.js';
import { registerList } from './commands/list/list.js';
import { registerSync } from './commands/sync.js';
import { registerDoctor } from './commands/doctor/doctor.js';
import { registerTrigger } from './commands/trigger/trigger.js';
import { registerStream } from './commands/stream/stream.js';
import { registerOverlay } from './commands/overlay/overlay.js';
import { registerAlerts } from './commands/alerts/alerts.js';
import { registerDashboard } from './commands/dashboard.js';
import { fakeTwitchNote, setVerbose } from './cli-notes.js';
import { readCliEnvironment } from './environment.js';
import { VERSION } from './version.js';

/** The `eventsub-relay` command; each subcommand lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('eventsub-relay')
    .description('Receive Twitch EventSub webhooks durably and forward them to your services.')
    .version(VERSION, '-V, --version', 'print the version of eventsub-relay')
    .option('--env-file <path>', 'read environment variables from this file (default: ./.env when present)')
    .showHelpAfterError('(run with --help to see the commands)')
    // Program options come before the command (`eventsub-relay --env-file x events list`), so a
    // command may have an option of the same name: `trigger --version 2` is not the program's --version.
    .enablePositionalOptions()
    .hook('preAction', (command, action) => {
      const envFile =
        command.opts<{ envFile?: string }>().envFile ?? (existsSync('.env') ? '.env' : undefined);
      // Variables already set in the real environment win over the file (Node's loadEnvFile keeps them).
      const env = readCliEnvironment(envFile);
      setVerbose(Boolean(action.opts<{ verbose?: boolean }>().verbose));
      const note = fakeTwitchNote(env);
      if (note) process.stderr.write(`${note}\n`);
    });
  registerServe(program);
  registerEvents(program);
  // Subscriptions and authorization.
  registerTypes(program);
  registerAuth(program);
  registerSubscribe(program);
  registerUnsubscribe(program);
  registerList(program);
  registerSync(program);
  registerTrigger(program);
  registerStream(program);
  registerOverlay(program);
  registerAlerts(program);
  registerDashboard(program);
  registerDoctor(program);
  return program;
}
