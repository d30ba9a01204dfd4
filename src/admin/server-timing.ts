import type { RequestHandler } from 'express';

/**
 * Adds `Server-Timing: app;dur=<ms>` to every admin answer: the time from the request reaching the
 * admin router to its headers being written (the queries and the JSON), as the browser's devtools
 * and `bench/dashboard.mjs` read it. A stream (the Live page) reports the time to its first byte.
 */
export const serverTiming: RequestHandler = (_req, res, next) => {
  const started = process.hrtime.bigint();
  const writeHead = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
    if (!this.headersSent) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      this.setHeader('Server-Timing', `app;dur=${ms.toFixed(2)}`);
    }
    return writeHead.apply(this, args);
  } as typeof writeHead;
  next();
};
