import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../../src/cli/program.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function filesUnder(dir: string, ending: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, ending) : path.endsWith(ending) ? [path] : [];
  });
}

/** Every command of the program: `serve` → [], `auth` → ['login', 'add', …]. */
function commandTree(): Map<string, string[]> {
  return new Map(buildProgram().commands.map((c) => [c.name(), c.commands.map((sub) => sub.name())]));
}

/** `eventsub-relay <command> [<subcommand>]` as a hint names it: the words after the program name. */
function hintsIn(text: string, pattern: RegExp): string[][] {
  return [...text.matchAll(pattern)].map((m) => m[1]!.split(' '));
}

function unknownCommands(hints: string[][]): string[] {
  const tree = commandTree();
  return hints
    .filter(([command, sub]) => {
      const subs = tree.get(command!);
      if (!subs) return true;
      return subs.length > 0 && !subs.includes(sub ?? '');
    })
    .map((words) => `eventsub-relay ${words.join(' ')}`);
}

describe('every command the program or the docs tell people to run exists, under the installed name', () => {
  it('hints in messages (`eventsub-relay …` in backticks) name real commands and subcommands', () => {
    const hints = filesUnder(join(root, 'src'), '.ts').flatMap((file) =>
      // `eventsub-relay events …` names the group, not a command to run.
      hintsIn(readFileSync(file, 'utf8'), /`eventsub-relay ([a-z][a-z-]*(?: [a-z][a-z-]*)?)\b(?! …)/g),
    );
    expect(hints.length).toBeGreaterThan(50);
    expect(unknownCommands(hints)).toEqual([]);
  });

  it('commands in the README and docs/ (lines starting with eventsub-relay, sudo eventsub-relay or npx eventsub-relay) exist', () => {
    const docs = [join(root, 'README.md'), ...filesUnder(join(root, 'docs'), '.md')];
    const hints = docs.flatMap((file) =>
      hintsIn(
        readFileSync(file, 'utf8'),
        /^(?:\$ )?(?:sudo |npx )?eventsub-relay ([a-z][a-z-]*(?: [a-z][a-z-]*)?)/gm,
      ),
    );
    expect(hints.length).toBeGreaterThan(10);
    expect(unknownCommands(hints)).toEqual([]);
  });
});
