import type { Command } from 'commander';
import type { ServeOptions } from './serve-run.js';

/** What the command does, loaded when it runs: --help and the other commands do not pay for its imports. */
const run = () => import('./serve-run.js');

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run the relay until SIGTERM/SIGINT: the webhook receiver (POST /callback), or with TRANSPORT=websocket an EventSub WebSocket session',
    )
    .option('--port <n>', 'listen on this port (instead of PORT, default 8080)')
    .option('--host <address>', 'listen on this address (instead of HOST, default 127.0.0.1)')
    .option(
      '--data-dir <path>',
      'keep the store, secrets and tokens here (instead of DATA_DIR, default ./data)',
    )
    .action(async (options: ServeOptions) => {
      await (await run()).runServe(options);
    });
}
