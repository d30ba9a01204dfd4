import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Text files of the repository a reader follows: code, tests, benchmarks and docs. */
function files(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .filter((name) => !['node_modules', 'dist', 'build', 'fixtures'].includes(name))
    .flatMap((name) => files(join(path, name)));
}

/**
 * A reference a reader of the repository cannot follow: planning notes and issue numbers live
 * outside it. Built from parts, so this file does not match itself.
 */
const OUTSIDE = new RegExp(['notes ' + '§', '\\bissue #?' + '\\d'].join('|'), 'i');

describe('the repository explains itself', () => {
  it('no comment or doc points to documents that are not in the repo (notes sections, issue numbers)', () => {
    const found = ['src', 'test', 'bench', 'docs', 'README.md', '.env.example']
      .flatMap((part) => files(join(ROOT, part)))
      .filter((file) => /\.(ts|mjs|js|md|example)$/.test(file))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) =>
            OUTSIDE.test(line) ? [`${relative(ROOT, file)}:${index + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(found).toEqual([]);
  });
});
