import type { Command } from 'commander';
import { CATALOG } from '../../twitch/catalog.js';

/** `eventsub-relay types`: the subscription-type catalog (type, version, condition, scopes). */
export function registerTypes(program: Command): void {
  program
    .command('types')
    .description(
      'list every EventSub type this relay can subscribe to over webhooks, with condition fields and required scopes',
    )
    .option('--json', 'print JSON instead of a table')
    .action((options: { json?: boolean }) => {
      if (options.json) return void process.stdout.write(JSON.stringify(CATALOG, null, 2) + '\n');
      const rows = CATALOG.map((e) => [
        e.type,
        e.version,
        e.condition.map((f) => f.name + (f.optional ? '?' : '')).join(','),
        e.scopes.length ? e.scopes.map((g) => g.join('|')).join(' + ') : '-',
      ]);
      process.stdout.write(table(['TYPE', 'VERSION', 'CONDITION', 'SCOPES (a|b = either)'], rows));
      process.stdout.write(`${CATALOG.length} type/versions; "?" marks an optional condition field.\n`);
    });
}

/** Left-aligned text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd() + '\n';
  return line(header) + rows.map(line).join('');
}
