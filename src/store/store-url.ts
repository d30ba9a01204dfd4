/**
 * What a STORE_URL names. The only place that reads its scheme: the rest of the relay asks the
 * store itself what it can do (`sharedByReplicas`) or these functions where the store is.
 */
export type StoreUrl = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** `sqlite:<path>` or `postgres://…` / `postgresql://…`; undefined for anything else. */
export function parseStoreUrl(url: string): StoreUrl | undefined {
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', path: url.slice('sqlite:'.length) };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { kind: 'postgres', url };
  return undefined;
}
