import type { Command } from 'commander';
import type { Alert, AlertQueueSnapshot } from '../../../alerts/alert.js';
import { JSON_HELP } from '../../cli-notes.js';
import { UserError } from '../../user-error.js';
import { describeAlert, printQueue } from './alerts-output.js';

/** The admin API client, loaded when an alerts command runs (it brings the env schema): --help needs none of it. */
const admin = () => import('../../admin-client.js');

interface CommonOptions {
  stream?: string;
  url?: string;
  json?: boolean;
}

/** `--set user=Foo` → { user: 'Foo' }. */
function overrides(pairs: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UserError(`--set needs key=value (e.g. --set user=Foo), got "${pair}"`);
    result[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return result;
}

function withCommon(command: Command): Command {
  return command
    .option('--stream <name>', 'the overlay stream (default: the only one with alerts)')
    .option('--url <origin>', 'the running relay, e.g. http://streampc.lan:8080 (default: HOST:PORT here)')
    .option('--json', JSON_HELP);
}

/** Prints what the relay answered: JSON as is, or a line and the queue for a person. */
function report(
  options: CommonOptions,
  answer: { alert?: Alert | null; queue: AlertQueueSnapshot },
  line: string,
) {
  if (options.json) {
    process.stdout.write(JSON.stringify(answer, null, 2) + '\n');
    return;
  }
  process.stdout.write(`${line}\n`);
  printQueue(answer.queue, (text) => process.stdout.write(text + '\n'));
}

/**
 * `eventsub-relay alerts …`: the alert box's controls, through the running relay's admin API with
 * the dashboard token (`Authorization: Bearer`), so they act on the queue the page shows.
 */
export function registerAlerts(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('control the OBS alert box of the running relay: test, skip, pause, resume, replay, status');

  withCommon(
    alerts
      .command('test <type>')
      .description('queue a test alert of this EventSub type (its sample event), e.g. channel.cheer')
      .option(
        '--set <key=value>',
        'fill a field: user, amount, message, months, tier …; repeat for more',
        (value: string, list: string[]) => [...list, value],
        [],
      ),
  ).action(async (type: string, options: CommonOptions & { set: string[] }) => {
    const body = { type, set: overrides(options.set), ...(options.stream && { stream: options.stream }) };
    const target = (await admin()).adminTarget(options);
    const answer = await (
      await admin()
    ).callAdminApi<{ alert: Alert; queue: AlertQueueSnapshot }>(target, 'POST', '/alerts/test', body);
    report(options, answer, `queued test alert: ${describeAlert(answer.alert)}`);
  });

  withCommon(
    alerts.command('skip').description('end the alert on screen now (between alerts: drop the next one)'),
  ).action(async (options: CommonOptions) => {
    const answer = await (
      await admin()
    ).callAdminApi<{ skipped: Alert | null; queue: AlertQueueSnapshot }>(
      (await admin()).adminTarget(options),
      'POST',
      '/alerts/skip',
      { ...(options.stream && { stream: options.stream }) },
    );
    report(
      options,
      { alert: answer.skipped, queue: answer.queue },
      answer.skipped
        ? `skipped: ${describeAlert(answer.skipped)}`
        : 'nothing to skip: no alert on screen or waiting',
    );
  });

  for (const action of ['pause', 'resume'] as const)
    withCommon(
      alerts
        .command(action)
        .description(
          action === 'pause'
            ? 'start no new alert until `alerts resume` (the one on screen finishes its time)'
            : 'show the waiting alerts again, one after another',
        ),
    ).action(async (options: CommonOptions) => {
      const answer = await (
        await admin()
      ).callAdminApi<{ queue: AlertQueueSnapshot }>(
        (await admin()).adminTarget(options),
        'POST',
        `/alerts/${action}`,
        {
          ...(options.stream && { stream: options.stream }),
        },
      );
      report(options, answer, answer.queue.paused ? 'paused' : 'running');
    });

  withCommon(
    alerts
      .command('replay <event-id>')
      .description(
        'show a stored event’s alert again, next (its Twitch message id: `eventsub-relay events list`)',
      ),
  ).action(async (eventId: string, options: CommonOptions) => {
    const answer = await (
      await admin()
    ).callAdminApi<{ alert: Alert; queue: AlertQueueSnapshot }>(
      (await admin()).adminTarget(options),
      'POST',
      '/alerts/replay',
      { eventId, ...(options.stream && { stream: options.stream }) },
    );
    report(options, answer, `queued next: ${describeAlert(answer.alert)}`);
  });

  withCommon(
    alerts
      .command('status')
      .description('the alert on screen, the waiting ones and whether the queue is paused'),
  ).action(async (options: CommonOptions) => {
    const target = (await admin()).adminTarget(options);
    const query = options.stream ? `?stream=${encodeURIComponent(options.stream)}` : '';
    const answer = await (
      await admin()
    ).callAdminApi<AlertQueueSnapshot | { streams: AlertQueueSnapshot[] }>(target, 'GET', `/alerts${query}`);
    if (options.json) {
      process.stdout.write(JSON.stringify(answer, null, 2) + '\n');
      return;
    }
    const queues = 'streams' in answer ? answer.streams : [answer];
    if (queues.length === 0) process.stdout.write('no stream has an alert queue (add a `streams:` entry)\n');
    for (const queue of queues) printQueue(queue, (text) => process.stdout.write(text + '\n'));
  });
}
