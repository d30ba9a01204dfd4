import { InvalidArgumentError, type Command } from 'commander';
import type { TailCommandOptions } from './stream-run.js';
import { JSON_HELP } from '../../cli-notes.js';

/** What the command does, loaded when it runs: --help and the other commands do not pay for its imports. */
const run = () => import('./stream-run.js');

function parseSince(value: string): string {
  if (value !== 'now' && !/^\d{1,15}$/.test(value))
    throw new InvalidArgumentError('must be now or a seq (the id: of an event), e.g. --since 1200');
  return value;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('must be a whole number from 1');
  return Number(value);
}

/** `eventsub-relay stream tail`: a terminal client for the relay's live streams (GET /stream/<name>). */
export function registerStream(program: Command): void {
  const stream = program.command('stream').description('live streams of stored events (Server-Sent Events)');
  stream
    .command('tail')
    .description('print a stream’s events as they come; reconnects with Last-Event-ID, losing nothing')
    .option('--stream <name>', 'stream name from streams: in eventsub-relay.yml (default: the first)')
    .option(
      '--type <glob>',
      'only these types, * allowed; repeat for more',
      (value, list: string[]) => [...list, value],
      [],
    )
    .option('--since <seq|now>', 'start after this seq (an event id:), or now', parseSince, 'now')
    .option('--url <origin>', 'the relay, e.g. https://relay.example.com (default: HOST:PORT here)')
    .option(
      '--token <token>',
      'the stream token (default: STREAM_TOKEN, the entry’s token, or its file in DATA_DIR)',
    )
    .option('--json', `${JSON_HELP}: one envelope per line`)
    .option('--count <n>', 'exit after printing n events', parseCount)
    .action(async (options: TailCommandOptions) => {
      await (await run()).tail(options);
    });
}
