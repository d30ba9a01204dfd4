import type { DeliveryView, EventQuery, EventSummary } from '../../../store/store.js';
import { withStore } from '../../open-cli-store.js';
import { renderTable } from '../../table.js';
import { UserError } from '../../user-error.js';

/** A stored answer on one line of at most 200 characters (the text view; --json has it whole). */
const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
};

const describeDelivery = (d: DeliveryView) =>
  `${d.sink}:${d.status}${d.attempts > 0 ? `(${d.attempts})` : ''}`;

/** The flags every `events …` command has. */
interface OutputOptions {
  json?: boolean;
  verbose?: boolean;
}

function print(json: boolean | undefined, value: unknown, table: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : table());
}

/** `events list` */
export async function listEvents(options: EventQuery & OutputOptions): Promise<void> {
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
}

/** `events show <id>` */
export async function showEvent(id: string, options: OutputOptions): Promise<void> {
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
    const answers = detail.attempts
      .filter((a) => a.response !== undefined)
      .map((a) => `  ${a.sink} #${a.attempt}: ${oneLine(a.response!)}\n`)
      .join('');
    return (
      `${JSON.stringify(detail.envelope, null, 2)}\n\nDeliveries\n${deliveries}\nAttempts\n${attempts}` +
      (answers ? `\nWhat the destination answered (first 1 KiB kept; all of it with --json)\n${answers}` : '')
    );
  });
}

/** `events dead` */
export async function listDead(options: { sink?: string; limit?: number } & OutputOptions): Promise<void> {
  const dead = await withStore((store) => store.listDead(options));
  print(options.json, dead, () =>
    dead.length === 0
      ? 'no dead deliveries\n'
      : renderTable(
          ['RECEIVED', 'ID', 'TYPE', 'SINK', 'ATTEMPTS', 'LAST ERROR'],
          dead.map((d) => [d.receivedAt, d.eventId, d.type, d.sink, String(d.attempts), d.lastError ?? '-']),
        ) + 'replay with: eventsub-relay events replay <id>…\n',
  );
}
