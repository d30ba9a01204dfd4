import type { Request } from 'express';

/** A positive whole number from the query string, or undefined; `max` caps it. */
export function positiveInt(req: Request, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = req.query[name];
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value > 0 ? Math.min(value, max) : undefined;
}

/** A string from the query string, or undefined when absent or empty. */
export function stringParam(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}
