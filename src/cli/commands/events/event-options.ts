import { InvalidArgumentError } from 'commander';
import { UserError } from '../../user-error.js';

/** Option parsers shared by the `events …` commands. */

const STATUSES = ['pending', 'delivered', 'dead'] as const;
export type Status = (typeof STATUSES)[number];

export function parseSince(value: string): Date {
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

/** `--status` limited to `allowed` (all three by default). */
export function statusParser(allowed: readonly Status[] = STATUSES): (value: string) => Status {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new UserError(`--status must be one of ${allowed.join(', ')}`);
    }
    return value as Status;
  };
}

export const MAX_LIMIT = 10_000;

/** `--limit`: a whole number from 1 to 10000, else a message saying so (not SQLite's "datatype mismatch"). */
export function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value.trim()) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_LIMIT}, e.g. --limit 20`);
  }
  return limit;
}

/** `1 delivery`, `2 deliveries`. */
export function deliveries(count: number): string {
  return `${count} ${count === 1 ? 'delivery' : 'deliveries'}`;
}
