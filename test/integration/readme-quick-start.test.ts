import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const quickStart = readme.slice(
  readme.indexOf('## Quick start'),
  readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1),
);

/** The quick start's shell blocks, in order, each as its command lines (comments after `#` dropped). */
const blocks = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
  m[1]!
    .trim()
    .split('\n')
    .map((line) => line.replace(/\s+# .*$/, '').trim()),
);

const prefix = tempDir('npm-prefix-');
const work = tempDir('quick-start-');
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
  prefix.cleanup();
  work.cleanup();
});

/** What a person's shell has after the README's install: npm's global bin on PATH. No .env, no leftovers. */
function shellEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${join(prefix.path, 'bin')}:${process.env.PATH}`,
    HOME: process.env.HOME,
    // npm link needs no registry; keep it from trying.
    npm_config_prefix: prefix.path,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ...extra,
  };
}

function run(
  line: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): { code: number; stdout: string; stderr: string } {
  const result = spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function background(line: string, env: NodeJS.ProcessEnv, cwd: string): { output: () => string } {
  // exec (after any VAR=value prefix): the shell becomes the command, so SIGTERM reaches it.
  const command = line.replace(/^((?:\w+=\S+\s+)*)/, '$1exec ');
  const child = spawn('bash', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { output: () => output };
}

describe("README's quick start, followed as written", () => {
  it('installs the command by name, starts, triggers, lists, and forwards to the example consumer', async () => {
    // 1. Install. The clone and `npm install && npm run build` are what `npm test` already did in
    // this checkout; `npm link` is run for real, into a throwaway npm prefix.
    expect(blocks[0]).toEqual([
      'git clone https://github.com/eventsub-relay/eventsub-relay.git && cd eventsub-relay',
      'npm install && npm run build && npm link',
    ]);
    const link = run('npm link', shellEnv(), root);
    expect(link.code).toBe(0);
    expect(existsSync(join(prefix.path, 'bin', 'eventsub-relay'))).toBe(true);
    const version = run('eventsub-relay --version', shellEnv(), work.path);
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    );

    // 2. Start, in an empty folder. PORT moves it off 8080 (other tests may hold it); trigger and
    // the relay both read it, as they would read the default.
    const port = String(await freePort());
    expect(blocks[1]).toEqual(['eventsub-relay serve']);
    const env = shellEnv({ PORT: port, LOG_FORMAT: 'json' });
    const serve = background(blocks[1]![0]!, env, work.path);
    await waitFor(() => serve.output().includes('listening on'), 15_000, 'the start-up line');
    expect(serve.output()).toContain('EventSub secret: data/eventsub-secret');

    // 3. Trigger and see it.
    expect(blocks[2]).toEqual(['eventsub-relay trigger channel.follow', 'eventsub-relay events list']);
    const trigger = run(blocks[2]![0]!, env, work.path);
    expect(trigger.code).toBe(0);
    expect(trigger.stdout).toContain(`✔ notification channel.follow v2 → http://127.0.0.1:${port}/callback`);
    expect(trigger.stdout).toContain('204, accepted');
    const list = run(blocks[2]![1]!, env, work.path);
    expect(list.stdout).toMatch(/notification\s+channel\.follow v2\s+log:delivered\(1\)/);
    expect(quickStart).toContain('`channel.follow for Cooler_User (1337): Cool_User followed`');
    await waitFor(() => serve.output().includes('channel.follow for Cooler_User (1337): Cool_User followed'));

    // 4. Forward to the example consumer (port 9000 in the README; a free one here).
    const [relayLine, consumerLine] = blocks[3]!;
    expect(relayLine).toBe('FORWARD_URL=http://127.0.0.1:9000/hook eventsub-relay serve');
    expect(consumerLine).toBe('FORWARD_SECRET=$(cat data/forward-secret) node examples/consumer/server.mjs');
    children[0]!.kill('SIGTERM');
    await new Promise((resolve) => children[0]!.once('exit', resolve));
    const consumerPort = String(await freePort());
    const forwarding = background(relayLine!.replace(':9000', `:${consumerPort}`), env, work.path);
    await waitFor(() => forwarding.output().includes('listening on'), 15_000, 'the relay with FORWARD_URL');
    const consumer = background(
      consumerLine!.replace('examples/', `${root}/examples/`),
      { ...env, CONSUMER_PORT: consumerPort },
      work.path,
    );
    await waitFor(() => consumer.output().includes('consumer listening on'), 10_000, 'the consumer');
    const sent = run('eventsub-relay trigger channel.follow', env, work.path);
    const id = /message id (\S+):/.exec(sent.stdout)![1]!;
    await waitFor(
      () => consumer.output().includes(`notification channel.follow ${id}`),
      15_000,
      'the forwarded event',
    );
    expect(consumer.output()).not.toContain('rejected');
  }, 120_000);
});
