/** Turns an event-type glob (`channel.*`, `*.online`) into an anchored RegExp; `*` matches any run of characters. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** SQL LIKE pattern for the same glob (`_` and `%` in event types are escaped with `\`). */
export function globToLike(glob: string): string {
  return glob.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%');
}
