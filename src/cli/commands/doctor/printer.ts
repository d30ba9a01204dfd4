import type { Finding, Status } from './check.js';
import { exitCodeOf } from './runner.js';

const SYMBOL: Record<Status, string> = { ok: '✔', fail: '✗', warn: '!', skip: '–' };

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The report for a person: one line per finding, its fix indented below, a summary at the end. */
export function formatReport(report: readonly Finding[]): string {
  const lines = report.flatMap((finding) => [
    `${SYMBOL[finding.status]} ${finding.title}: ${finding.detail}`,
    ...(finding.fix && finding.status !== 'ok' ? [`    fix: ${finding.fix}`] : []),
  ]);
  const failed = report.filter((f) => f.status === 'fail');
  const hard = failed.filter((f) => f.hard).length;
  const warned = report.filter((f) => f.status === 'warn').length;
  const skipped = report.filter((f) => f.status === 'skip').length;
  const summary =
    failed.length + warned + skipped === 0
      ? report.length === 1
        ? 'the one check passed'
        : `all ${report.length} checks passed`
      : [
          failed.length > 0 && count(failed.length, 'problem (✗)', 'problems (✗)'),
          warned > 0 && count(warned, 'warning (!)', 'warnings (!)'),
          skipped > 0 && count(skipped, 'check skipped (–)', 'checks skipped (–)'),
        ]
          .filter(Boolean)
          .join(', ') +
        (hard > 0 ? ': fix each ✗, then run `eventsub-relay doctor` again' : ': nothing that stops events');
  return `${lines.join('\n')}\n\n${summary}\n`;
}

/** The report for scripts: `{ ok, checks }`, ok as the exit code says. */
export function formatJson(report: readonly Finding[]): string {
  return JSON.stringify({ ok: exitCodeOf(report) === 0, checks: report }, null, 2) + '\n';
}
