/** Collects optional WHERE conditions with their `?` parameters, in order. */
export class SqlFilter {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds the clause (and its parameters) when `when` is truthy. */
  add(when: unknown, clause: string, ...params: unknown[]): this {
    if (when) {
      this.clauses.push(clause);
      this.params.push(...params);
    }
    return this;
  }

  /** `WHERE a AND b`, or an empty string when nothing was added. */
  toSql(): string {
    return this.clauses.length ? 'WHERE ' + this.clauses.join(' AND ') : '';
  }
}
