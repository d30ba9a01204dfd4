import { CATALOG } from './catalog.js';
import type { CatalogEntry } from './catalog-entry.js';

/** Thrown for a type or version the catalog does not have; the message says how to list them. */
export class UnknownTypeError extends Error {
  readonly userMessage: string;
  constructor(type: string, version?: string) {
    const known = CATALOG.filter((e) => e.type === type).map((e) => e.version);
    const close = CATALOG.map((e) => e.type).filter((t, i, all) => all.indexOf(t) === i && similar(t, type));
    const hint = known.length
      ? `${type} has version(s) ${known.join(', ')}`
      : close.length
        ? `did you mean ${close.slice(0, 3).join(' or ')}?`
        : 'run `eventsub-relay types` to see every type';
    super(
      `unknown EventSub ${known.length ? 'version' : 'type'} ${type}${version ? ` v${version}` : ''}: ${hint}`,
    );
    this.userMessage = this.message;
  }
}

/** Close enough to be a typo: edit distance of at most 2 (e.g. channel.folow → channel.follow). */
function similar(candidate: string, typed: string): boolean {
  return editDistance(candidate, typed) <= 2;
}

/** Insertions, deletions and substitutions between two short words. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The catalog row for a type; without a version, the newest one (numbered versions beat `beta`). */
export function findEntry(type: string, version?: string): CatalogEntry {
  const rows = CATALOG.filter((e) => e.type === type);
  if (version !== undefined) {
    const row = rows.find((e) => e.version === version);
    if (!row) throw new UnknownTypeError(type, version);
    return row;
  }
  const newest = [...rows].sort((a, b) => versionRank(b.version) - versionRank(a.version))[0];
  if (!newest) throw new UnknownTypeError(type);
  return newest;
}

function versionRank(version: string): number {
  const n = Number(version);
  return Number.isFinite(n) ? n : 0;
}

/** Union of the scopes the given types need (one scope per any-of group, see preferredScope). */
export function scopesForTypes(types: readonly string[]): string[] {
  const scopes = new Set<string>();
  for (const type of types) for (const group of findEntry(type).scopes) scopes.add(preferredScope(group));
  return [...scopes];
}

/** The scope to request for an any-of group: the read-only one (least privilege), else the first. */
export function preferredScope(group: readonly string[]): string {
  return group.find((s) => s.includes(':read:')) ?? group[0]!;
}
