import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { registerEvents } from './commands/events.js';
import { registerServe } from './commands/serve.js';
import { registerTypes } from './commands/types.js';
import { registerAuth } from './commands/auth.js';
import { registerSubscribe } from './commands/subscribe.js';
import { registerUnsubscribe } from './commands/unsubscribe.js';
import { registerList } from './commands/list.js';
import { registerSync } from './commands/sync.js';
import { registerTrigger } from './commands/trigger.js';
import { registerStream } from './commands/stream.js';

/** The `eventsub-relay` command; each subcommand lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('eventsub-relay')
    .description('Receive Twitch EventSub webhooks durably and forward them to your services.')
    .option('--env-file <path>', 'read environment variables from this file (default: ./.env when present)')
    .showHelpAfterError('(run with --help to see the commands)')
    .hook('preAction', (command) => {
      const envFile =
        command.opts<{ envFile?: string }>().envFile ?? (existsSync('.env') ? '.env' : undefined);
      // Variables already set in the real environment win over the file (Node's loadEnvFile keeps them).
      if (envFile) process.loadEnvFile(envFile);
    });
  registerServe(program);
  registerEvents(program);
  // Subscriptions and authorization (issue 4).
  registerTypes(program);
  registerAuth(program);
  registerSubscribe(program);
  registerUnsubscribe(program);
  registerList(program);
  registerSync(program);
  registerTrigger(program);
  registerStream(program);
  return program;
}
