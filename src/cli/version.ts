import { readFileSync } from 'node:fs';

/** This package's version, read from the package.json beside dist/ (the checkout, or the install). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
