import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loginThroughBrowser } from '../support/cli-harness.js';
import { cleanEnv, freePort } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FAKE_ENTRY = 'build/fake-twitch/test/support/fake-twitch-main.js'; // `npm test` builds it (pretest)
const doc = readFileSync(join(root, 'docs', 'subscriptions.md'), 'utf8');
const walkthrough = doc.slice(
  doc.indexOf('## Try it against the fake Twitch'),
  doc.indexOf('### When the callback fails'),
);

/**
 * The walkthrough's commands, by terminal: every ```sh block, in order, under the last
 * "**Terminal N**" before it. A heredoc is one command with its body; comment lines are skipped.
 */
function documentedTerminals(): Map<number, string[]> {
  const terminals = new Map<number, string[]>();
  let terminal = 0;
  for (const part of walkthrough.split(/(\*\*Terminal \d\*\*|```sh\n[\s\S]*?```)/)) {
    const marker = /^\*\*Terminal (\d)\*\*$/.exec(part);
    if (marker) terminal = Number(marker[1]);
    if (!part.startsWith('```sh')) continue;
    const lines = part.slice('```sh\n'.length, -'```'.length).split('\n');
    const commands = terminals.get(terminal) ?? [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line.trim() || line.startsWith('#')) continue;
      const heredoc = /<<'(\w+)'$/.exec(line);
      if (!heredoc) commands.push(line);
      else {
        const end = lines.indexOf(heredoc[1]!, i);
        commands.push(lines.slice(i, end + 1).join('\n'));
        i = end;
      }
    }
    terminals.set(terminal, commands);
  }
  return terminals;
}

type Result = { code: number; stdout: string; stderr: string };

/** What each command of terminal 4 must print, in the documented order (exit 0 unless `exit` says). */
const STEPS: Array<[command: string, check: (r: Result, t: Trial) => void | Promise<void>, exit?: number]> = [
  [
    'npx eventsub-relay auth add --access-token access-streamer',
    (r) => expect(r.stdout).toContain('authorized streamer (user id 1337)'),
  ],
  [
    'npx eventsub-relay auth status',
    (r) => expect(r.stdout).toMatch(/streamer\s+1337\s+\d{4}-\S+Z\s+no\s+moderator:read:followers/),
  ],
  [
    'npx eventsub-relay subscribe channel.follow --broadcaster streamer --allow-insecure-callback',
    (r) =>
      expect(r.stdout).toMatch(/created channel\.follow v2 .*status webhook_callback_verification_pending/),
  ],
  [
    'npx eventsub-relay subscribe stream.online --broadcaster streamer --allow-insecure-callback',
    (r) => expect(r.stdout).toContain('created stream.online v1'),
  ],
  [
    'npx eventsub-relay list',
    (r) => {
      // Enabled: the fake's challenge reached the relay and came back exact.
      expect(r.stdout).toMatch(
        /channel\.follow\s+2\s+\{"broadcaster_user_id":"1337","moderator_user_id":"1337"\}\s+enabled/,
      );
      expect(r.stdout).toMatch(/stream\.online\s+1\s+\{"broadcaster_user_id":"1337"\}\s+enabled/);
      expect(r.stdout).toContain('2 shown; total 2');
    },
  ],
  [
    'npm run fake-twitch -- --trigger channel.follow',
    async (r, t) => {
      const id = /^✔ notification channel\.follow (\S+) → http:\/\/127\.0\.0\.1:\d+\/callback: 204$/m.exec(
        r.stdout,
      )![1]!;
      t.followId = id;
      // …and the consumer, two hops on, has it, verified.
      await waitFor(() => t.consumerOutput().includes(`notification channel.follow ${id} {"user_id":"1234"`));
    },
  ],
  [
    'npx eventsub-relay events list',
    (r, t) =>
      expect(r.stdout).toMatch(
        new RegExp(`${t.followId}\\s+notification\\s+channel\\.follow v2\\s+forward:delivered\\(1\\)`),
      ),
  ],
  [
    'npx eventsub-relay subscribe channel.cheer --broadcaster streamer --allow-insecure-callback',
    (r) => {
      expect(r.stderr).toContain('missing bits:read');
      expect(r.stderr).toContain('`eventsub-relay auth login --scopes moderator:read:followers,bits:read`');
    },
    1,
  ],
  [
    'npx eventsub-relay auth login --scopes moderator:read:followers,bits:read',
    (r) => expect(r.stdout).toContain('with scopes: moderator:read:followers bits:read'),
  ],
  [
    'npx eventsub-relay subscribe channel.cheer --broadcaster streamer --allow-insecure-callback',
    (r) => expect(r.stdout).toContain('created channel.cheer v1'),
  ],
  [`cat > "$CONFIG_FILE" <<'YAML'`, (r) => expect(r.stdout).toBe('')],
  [
    'npx eventsub-relay sync --dry-run --allow-insecure-callback',
    (r) => {
      expect(r.stdout).toMatch(/= keep {5}channel\.follow v2 .*, enabled\)/);
      expect(r.stdout).toMatch(/= keep {5}stream\.online v1 .*, enabled\)/);
      expect(r.stdout).toContain('+ create   stream.offline v1');
      expect(r.stdout).toContain('1 change(s) planned');
    },
  ],
  [
    'npx eventsub-relay sync --prune --yes --allow-insecure-callback',
    (r) => {
      expect(r.stdout).toContain('- delete   channel.cheer v1');
      expect(r.stdout).toContain('applied 2 change(s)');
    },
  ],
  [
    'npx eventsub-relay sync --allow-insecure-callback',
    (r) => {
      expect(r.stdout).toMatch(/= keep {5}stream\.offline v1 .*, enabled\)/); // its challenge succeeded too
      expect(r.stdout).toContain('nothing to do: Twitch already matches the config');
    },
  ],
  [
    'npx eventsub-relay unsubscribe --type channel.follow --broadcaster streamer --yes',
    (r) => expect(r.stdout).toMatch(/deleted \S+\n$/),
  ],
  [
    'npx eventsub-relay unsubscribe --all --yes',
    (r) => expect(r.stdout.match(/^deleted /gm)).toHaveLength(2),
  ],
  ['npx eventsub-relay list', (r) => expect(r.stdout).toContain('0 shown; total 0')],
];

interface Trial {
  consumerOutput: () => string;
  followId?: string;
}

const children: ChildProcessWithoutNullStreams[] = [];
let dir: { path: string; cleanup: () => void };

beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  for (const child of children.splice(0).reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('close', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  dir.cleanup();
});

/**
 * The only liberties the test takes with the documented words: free ports instead of 8080 (relay),
 * 8090 (fake) and 9000 (consumer), a temp folder as the checkout's working directory, and
 * `npx eventsub-relay` / `npm run fake-twitch --` / `node examples/` run as the built entry points
 * (package.json's script is checked to be exactly that).
 */
interface Ports {
  relay: number;
  fake: number;
  consumer: number;
}
function localize(command: string, ports: Ports): string {
  return command
    .replaceAll('npx eventsub-relay ', `node ${join(root, 'dist/cli/main.js')} `)
    .replaceAll('npm run fake-twitch -- ', `node ${join(root, FAKE_ENTRY)} `)
    .replaceAll('node examples/', `node ${join(root, 'examples')}/`)
    .replaceAll(':8080', `:${ports.relay}`)
    .replaceAll(':9000', `:${ports.consumer}`);
}

/** Runs one documented command in bash with the terminal's environment (the pasted exports). */
function bash(script: string, env: Record<string, string>, background = false) {
  // A long-running command gets its own process group, so stopping it stops what bash started.
  const child = spawn('bash', ['-c', script], {
    cwd: dir.path,
    env: cleanEnv(env),
    detached: background,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (background) children.push(child);
  child.on('error', (error) => (stderr += `could not start bash: ${error.message}`));
  const done = new Promise<Result>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return { child, output: () => stdout + stderr, done };
}

describe('docs/subscriptions.md, "Try it against the fake Twitch"', () => {
  it('npm run fake-twitch builds and starts the entry point this test starts', () => {
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts['fake-twitch']).toBe(`npm run build:fake-twitch --silent && node ${FAKE_ENTRY}`);
  });

  it('a new user following it on one machine: subscribe → enabled → event → consumer, then scopes, sync, removal', async () => {
    const terminals = documentedTerminals();
    expect([...terminals.keys()]).toEqual([1, 2, 3, 4]);
    expect(terminals.get(1)).toEqual(['npm ci', 'npm run build', 'npm run fake-twitch']); // `npm test` did the first two
    expect(terminals.get(4)!.map((c) => c.split('\n')[0])).toEqual(STEPS.map(([command]) => command));
    const ports = { relay: await freePort(), fake: await freePort(), consumer: await freePort() };

    // Terminal 1: the fake, on its port, printing the environment for the relay's.
    const fake = bash(
      // --ws-port 0: the fake's WebSocket server would take --port + 1, which may be the consumer's port.
      `node ${join(root, FAKE_ENTRY)} --port ${ports.fake} --ws-port 0 --public-url http://127.0.0.1:${ports.relay}`,
      {},
      true,
    );
    await waitFor(() => fake.output().includes('Requests:'), 15_000, 'the fake to start');
    const exports = [...fake.output().matchAll(/^export (\w+)=(\S+)$/gm)];
    expect(exports.map((m) => m[1])).toEqual([
      'TWURPLE_MOCK_API_PORT',
      'TWITCH_CLIENT_ID',
      'TWITCH_CLIENT_SECRET',
      'PUBLIC_URL',
      'DATA_DIR',
      'CONFIG_FILE',
    ]);
    const env: Record<string, string> = {
      ...Object.fromEntries(exports.map((m) => [m[1]!, m[2]!])),
      PORT: String(ports.relay),
    };
    expect(env.PUBLIC_URL).toBe(`http://127.0.0.1:${ports.relay}`);

    // Terminal 2: the relay; terminal 3: the consumer. All but the last command run to completion.
    const started: Record<number, ReturnType<typeof bash>> = {};
    for (const terminal of [2, 3]) {
      const commands = terminals.get(terminal)!;
      for (const command of commands.slice(0, -1))
        expect((await bash(localize(command, ports), env).done).code).toBe(0);
      started[terminal] = bash(
        localize(commands.at(-1)!, ports),
        { ...env, CONSUMER_PORT: String(ports.consumer) },
        true,
      );
      const ready = terminal === 2 ? 'Twitch should call' : 'consumer listening';
      await waitFor(
        () => started[terminal]!.output().includes(ready),
        15_000,
        `terminal ${terminal}: ${ready}`,
      );
    }

    // Terminal 4, step by step.
    const trial: Trial = { consumerOutput: () => started[3]!.output() };
    for (const [index, command] of terminals.get(4)!.entries()) {
      const [, check, exit = 0] = STEPS[index]!;
      const result = command.startsWith('npx eventsub-relay auth login ')
        ? await loginThroughBrowser(command.split(' ').slice(4), env, dir.path)
        : await bash(localize(command, ports), env).done;
      try {
        expect(result.code).toBe(exit);
        await check(result, trial);
      } catch (error) {
        throw new Error(
          `step "${command}" failed:\n${result.stdout}\n${result.stderr}\n${(error as Error).message}`,
        );
      }
    }
    expect(fake.output()).toMatch(
      /challenge → http:\/\/127\.0\.0\.1:\d+\/callback: 200; channel\.follow v2 enabled/,
    );
  }, 120_000); // some twenty processes, one after another
});
