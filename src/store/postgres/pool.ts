import pg from 'pg';

const INT8_OID = 20;

/**
 * A pool whose BIGINT columns (our millisecond times and BIGSERIAL ids) come back as numbers, as the
 * Store's views expect. Milliseconds and row ids stay far below 2^53, so nothing is rounded.
 * Scoped to this pool: other users of `pg` in the process keep the default string parsing.
 */
export function createPool(connectionString: string): pg.Pool {
  return new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as never,
    },
  });
}

/** The URL with its password replaced by `***`, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable STORE_URL>';
  }
}
