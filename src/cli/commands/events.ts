import { InvalidArgumentError, type Command } from 'commander';
import type { DeliveryView, EventSummary } from '../../store/store.js';
import { withStore } from '../open-cli-store.js';
import { renderTable } from '../table.js';
import { UserError } from '../user-error.js';

const STATUSES = ['pending', 'delivered', 'dead'] as const;

function parseSince(value: string): Date {
  // Relative forms are handier at a terminal: 30m, 2h, 7d.
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(Date.now() - Number(relative[1]) * unit);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UserError(
      `--since "${value}" is not a time: use an ISO date (2026-11-23T10:00Z) or 30m, 2h, 7d`,
    );
  }
  return date;
}

function parseStatus(value: string): (typeof STATUSES)[number] {
  if (!(STATUSES as readonly string[]).includes(value)) {
    throw new UserError(`--status must be one of ${STATUSES.join(', ')}`);
  }
  return value as (typeof STATUSES)[number];
}

const MAX_LIMIT = 10_000;

/** `--limit`: a whole number from 1 to 10000, else a message saying so (not SQLite's "datatype mismatch"). */
function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value.trim()) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_LIMIT}, e.g. --limit 20`);
  }
  return limit;
}

const describeDelivery = (d: DeliveryView) =>
  `${d.sink}:${d.status}${d.attempts > 0 ? `(${d.attempts})` : ''}`;

function print(json: boolean, value: unknown, table: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : table());
}

export function registerEvents(program: Command): void {
  const events = program
    .command('events')
    .description('inspect stored events, their deliveries, and replay them');

  events
    .command('list')
    .description('recent events with the delivery state per sink (newest first)')
    .option('--type <glob>', 'event type, * allowed (channel.*)')
    .option(
      '--status <status>',
      'only events with a delivery in this state: pending, delivered, dead',
      parseStatus,
    )
    .option('--sink <name>', 'only events with a delivery to this sink')
    .option('--since <time>', 'received at or after: ISO time or 30m, 2h, 7d', parseSince)
    .option('--limit <n>', 'at most this many (1–10000)', parseLimit, 50)
    .option('--json', 'machine-readable output')
    .action(async (options) => {
      const list = await withStore((store) => store.listEvents(options));
      print(options.json, list, () =>
        list.length === 0
          ? 'no events match\n'
          : renderTable(
              ['RECEIVED', 'ID', 'MESSAGE', 'TYPE', 'DELIVERIES'],
              list.map((e: EventSummary) => [
                e.receivedAt,
                e.id,
                e.messageType,
                `${e.type} v${e.version}`,
                e.deliveries.map(describeDelivery).join(' ') || '-',
              ]),
            ),
      );
    });

  events
    .command('show <id>')
    .description('one event: its envelope, deliveries and every attempt')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options) => {
      const detail = await withStore((store) => store.getEvent(id));
      if (!detail)
        throw new UserError(`no event with message id ${id}; list them with \`eventsub-relay events list\``);
      print(options.json, detail, () => {
        const deliveries = renderTable(
          ['SINK', 'STATUS', 'ATTEMPTS', 'NEXT ATTEMPT', 'LAST ERROR'],
          detail.deliveries.map((d) => [
            d.sink,
            d.status,
            String(d.attempts),
            d.nextAttemptAt?.toISOString() ?? '-',
            d.lastError ?? '-',
          ]),
        );
        const attempts = renderTable(
          ['SINK', '#', 'STARTED', 'MS', 'RESULT'],
          detail.attempts.map((a) => [
            a.sink,
            String(a.attempt),
            a.startedAt.toISOString(),
            String(a.finishedAt.getTime() - a.startedAt.getTime()),
            a.error ?? 'delivered',
          ]),
        );
        return `${JSON.stringify(detail.envelope, null, 2)}\n\nDeliveries\n${deliveries}\nAttempts\n${attempts}`;
      });
    });

  events
    .command('replay [ids...]')
    .description('queue deliveries again (dead, delivered or pending), by id or by --since/--type/--sink')
    .option('--since <time>', 'events received at or after: ISO time or 30m, 2h, 7d', parseSince)
    .option('--type <glob>', 'event type, * allowed')
    .option('--sink <name>', 'only deliveries to this sink')
    .option('--json', 'machine-readable output')
    .action(async (ids: string[], options) => {
      if (ids.length === 0 && !options.since) {
        throw new UserError(
          'name message ids, or --since <time> (with optional --type, --sink) to choose what to replay',
        );
      }
      const requeued = await withStore(async (store) => {
        for (const id of ids) {
          if (!(await store.getEvent(id))) {
            throw new UserError(`no event with message id ${id}; nothing was replayed`);
          }
        }
        const count = await store.requeue({ ...(ids.length && { ids }), ...options });
        // A typo in --sink would otherwise "replay 0" and succeed: name the sinks that exist.
        if (count === 0 && options.sink) {
          const sinks = await store.listSinks();
          if (!sinks.includes(options.sink)) {
            throw new UserError(
              `no deliveries to a sink named "${options.sink}"; sinks with deliveries: ${sinks.join(', ') || 'none'}`,
            );
          }
        }
        return count;
      });
      print(
        options.json,
        { requeued },
        () => `${requeued} deliveries queued again; a running relay delivers them within a few seconds\n`,
      );
    });

  events
    .command('dead')
    .description('deliveries that used up their retry schedule')
    .option('--sink <name>', 'only this sink')
    .option('--limit <n>', 'at most this many (1–10000)', parseLimit, 100)
    .option('--json', 'machine-readable output')
    .action(async (options) => {
      const dead = await withStore((store) => store.listDead(options));
      print(options.json, dead, () =>
        dead.length === 0
          ? 'no dead deliveries\n'
          : renderTable(
              ['RECEIVED', 'ID', 'TYPE', 'SINK', 'ATTEMPTS', 'LAST ERROR'],
              dead.map((d) => [
                d.receivedAt,
                d.eventId,
                d.type,
                d.sink,
                String(d.attempts),
                d.lastError ?? '-',
              ]),
            ) + 'replay with: eventsub-relay events replay <id>…\n',
      );
    });
}
