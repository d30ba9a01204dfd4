import type { TriggerResult } from '../../../admin/test-events/judge-answer.js';

/** Prints one line per message (or JSON). */
export function printResults(url: string, results: readonly TriggerResult[], json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ url, results }, null, 2) + '\n');
    return;
  }
  for (const r of results) {
    const answer =
      r.status === undefined
        ? 'no answer'
        : `${r.status}${r.contentType ? ` ${r.contentType.split(';')[0]}` : ''}`;
    process.stdout.write(
      `${r.ok ? '✔' : '✗'} ${r.messageType} ${r.type} v${r.version} → ${url}\n  message id ${r.messageId}: ${answer}, ${r.verdict}\n`,
    );
  }
  const failed = results.filter((r) => !r.ok).length;
  if (results.length > 1)
    process.stdout.write(
      `${results.length - failed} of ${results.length} accepted${failed ? `, ${failed} failed` : ''}\n`,
    );
}
