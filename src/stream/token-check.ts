import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Compares a presented token with the expected one in constant time: both are hashed first, so
 * neither the content nor the length of the expected token leaks through timing.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token of a request: `Authorization: Bearer …` first, else `?token=` (EventSource cannot set headers). */
export function presentedToken(
  authorization: string | undefined,
  query: URLSearchParams,
): string | undefined {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  if (match) return match[1];
  return query.get('token') ?? undefined;
}
