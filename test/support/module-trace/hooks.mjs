// Module hooks (node:module register) that append the URL of every module Node loads to the file
// named in `data.file`: ES modules and packages imported from them, CommonJS entries included.
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function load(url, context, nextLoad) {
  appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
