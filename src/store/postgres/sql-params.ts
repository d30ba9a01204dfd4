/** Collects positional parameters for a dynamically built query: `add(value)` returns its `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The database's current time in unix milliseconds, as SQL. Leases are measured on this one clock
 * shared by every replica, so a replica whose own clock is off cannot take a lease another still holds.
 */
export const DB_NOW_MS = '(extract(epoch FROM now()) * 1000)::bigint';
