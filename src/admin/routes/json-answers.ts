import express, { type NextFunction, type Request, type Response } from 'express';

/** A refused admin call: short JSON saying what went wrong and what to do. */
export function refuse(res: Response, status: number, error: string, message: string): void {
  res.status(status).type('application/json').send(JSON.stringify({ error, message }));
}

/** JSON bodies of admin calls are small; a larger one is refused with 413 before it is parsed. */
export const jsonBody = express.json({ limit: '64kb' });

/** An async route handler whose failure reaches express's error handler (and answers 500 there). */
export function handled(
  handler: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => void handler(req, res).catch(next);
}

/** The message meant for a person from an error (our errors carry it as `userMessage`). */
export function messageOf(error: unknown): string {
  const userMessage = (error as { userMessage?: unknown } | null)?.userMessage;
  if (typeof userMessage === 'string') return userMessage;
  return error instanceof Error ? error.message : String(error);
}
