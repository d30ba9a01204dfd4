import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loginThroughBrowser } from '../support/cli-harness.js';
import { runCli } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FAKE_ENTRY = 'build/fake-twitch/test/support/fake-twitch-main.js'; // `npm test` builds it (pretest)
const doc = readFileSync(join(root, 'docs', 'subscriptions.md'), 'utf8');
const walkthrough = doc.slice(
  doc.indexOf('## Try it against the fake Twitch'),
  doc.indexOf('## How the fake is wired'),
);

type Result = { code: number; stdout: string; stderr: string };

/** What each documented command must do, in the documented order (exit 0 unless `exit` says). */
const STEPS: Array<[command: string, check: (r: Result) => void, exit?: number]> = [
  [
    'auth add --access-token access-streamer',
    (r) => expect(r.stdout).toContain('authorized streamer (user id 1337)'),
  ],
  [
    'auth status',
    (r) => expect(r.stdout).toMatch(/streamer\s+1337\s+\d{4}-\S+Z\s+no\s+moderator:read:followers/),
  ],
  [
    'subscribe channel.follow --broadcaster streamer',
    (r) => expect(r.stdout).toContain('created channel.follow v2'),
  ],
  [
    'subscribe stream.online --broadcaster streamer',
    (r) => expect(r.stdout).toContain('created stream.online v1'),
  ],
  [
    'list',
    (r) => {
      expect(r.stdout).toMatch(
        /channel\.follow\s+2\s+\{"broadcaster_user_id":"1337","moderator_user_id":"1337"\}/,
      );
      expect(r.stdout).toMatch(/stream\.online\s+1\s+\{"broadcaster_user_id":"1337"\}/);
      expect(r.stdout).toContain('2 shown; total 2');
    },
  ],
  [
    'subscribe channel.cheer --broadcaster streamer',
    (r) => {
      expect(r.stderr).toContain('missing bits:read');
      expect(r.stderr).toContain('`eventsub-relay auth login --scopes moderator:read:followers,bits:read`');
    },
    1,
  ],
  [
    'auth login --scopes moderator:read:followers,bits:read',
    (r) => expect(r.stdout).toContain('with scopes: moderator:read:followers bits:read'),
  ],
  [
    'subscribe channel.cheer --broadcaster streamer',
    (r) => expect(r.stdout).toContain('created channel.cheer v1'),
  ],
  [
    'sync --dry-run',
    (r) => {
      expect(r.stdout).toContain('= keep     channel.follow v2');
      expect(r.stdout).toContain('= keep     stream.online v1');
      expect(r.stdout).toContain('+ create   stream.offline v1');
      expect(r.stdout).toContain('1 change(s) planned');
    },
  ],
  [
    'sync --prune --yes',
    (r) => {
      expect(r.stdout).toContain('- delete   channel.cheer v1');
      expect(r.stdout).toContain('applied 2 change(s)');
    },
  ],
  ['sync', (r) => expect(r.stdout).toContain('nothing to do: Twitch already matches the config')],
  [
    'unsubscribe --type channel.follow --broadcaster streamer --yes',
    (r) => expect(r.stdout).toMatch(/deleted \S+\n$/),
  ],
  ['unsubscribe --all --yes', (r) => expect(r.stdout.match(/^deleted /gm)).toHaveLength(2)],
  ['list', (r) => expect(r.stdout).toContain('0 shown; total 0')],
];

let fake: ChildProcessWithoutNullStreams | undefined;
let dir: { path: string; cleanup: () => void };

beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  const child = fake;
  fake = undefined;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  dir.cleanup();
});

/** Starts the fake the way `npm run fake-twitch` does and reads what it tells the user. */
async function startFake(): Promise<{ printed: string; env: Record<string, string> }> {
  const child = spawn(process.execPath, [FAKE_ENTRY, '--port', '0'], { cwd: root });
  fake = child;
  let printed = '';
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('Requests:')) ready();
    });
    child.once('close', (code) => fail(new Error(`fake-twitch exited ${code}`)));
  });
  const env = Object.fromEntries([...printed.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  return { printed, env };
}

describe('docs/subscriptions.md, "Try it against the fake Twitch"', () => {
  it('npm run fake-twitch builds and starts the entry point this test starts', () => {
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts['fake-twitch']).toBe(`npm run build:fake-twitch --silent && node ${FAKE_ENTRY}`);
    expect(walkthrough).toContain('npm run fake-twitch\n');
  });

  it('a new user following it authorizes, subscribes, lists, syncs a config file and removes them', async () => {
    const { printed, env } = await startFake();
    expect(Object.keys(env)).toEqual([
      'TWURPLE_MOCK_API_PORT',
      'TWITCH_CLIENT_ID',
      'TWITCH_CLIENT_SECRET',
      'PUBLIC_URL',
      'DATA_DIR',
      'CONFIG_FILE',
    ]);
    expect(printed).toContain(`npx eventsub-relay ${STEPS[0]![0]}\n`);

    const documented = [...walkthrough.matchAll(/^npx eventsub-relay (.+)$/gm)].map((m) => m[1]);
    expect(documented).toEqual(STEPS.map(([command]) => command));
    const yaml = /<<'YAML'\n([\s\S]+?)\nYAML\n/.exec(walkthrough)![1]!;

    for (const [command, check, exit = 0] of STEPS) {
      const args = command.split(' ');
      if (args[0] === 'sync') writeFileSync(resolve(dir.path, env.CONFIG_FILE!), yaml + '\n');
      const result =
        args[0] === 'auth' && args[1] === 'login'
          ? await loginThroughBrowser(args.slice(2), env, dir.path)
          : await runCli(args, env, { cwd: dir.path });
      try {
        expect(result.code).toBe(exit);
        check(result);
      } catch (error) {
        throw new Error(
          `step "${command}" failed:\n${result.stdout}\n${result.stderr}\n${(error as Error).message}`,
        );
      }
    }
  });
});
