import type { Alert, AlertQueueSnapshot } from '../../../alerts/alert.js';

/** One alert in a line: its type, title and where it came from. */
export function describeAlert(alert: Alert): string {
  const origin = alert.origin === 'event' ? (alert.eventId ?? '') : alert.origin;
  return `${alert.type} "${alert.title}"${origin ? ` (${origin})` : ''}`;
}

/** The queue for a person: stream and state, the alert on screen, what waits. */
export function printQueue(queue: AlertQueueSnapshot, write: (line: string) => void): void {
  write(`stream ${queue.stream}: ${queue.paused ? 'paused' : 'running'}`);
  write(
    queue.current
      ? `  on screen: ${describeAlert(queue.current.alert)}, ${Math.ceil(queue.current.remainingMs / 1000)} s left`
      : '  on screen: nothing',
  );
  write(`  waiting: ${queue.waiting.length}`);
  for (const alert of queue.waiting.slice(0, 10)) write(`    ${describeAlert(alert)}`);
  if (queue.waiting.length > 10) write(`    … and ${queue.waiting.length - 10} more`);
}
