// `node --import <this file>` with MODULE_TRACE_FILE set: the URL (or, for modules CommonJS
// require()s, the path) of every module the process loaded ends up in that file, one a line.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.MODULE_TRACE_FILE;
if (!file) throw new Error('MODULE_TRACE_FILE names the file the loaded modules are written to');
register(new URL('./hooks.mjs', import.meta.url), { data: { file } });
// Modules required by CommonJS code do not pass the hooks above (Node 20): read the require cache.
const { cache } = createRequire(import.meta.url);
process.on('exit', () =>
  appendFileSync(
    file,
    Object.keys(cache)
      .map((path) => `${path}\n`)
      .join(''),
  ),
);
