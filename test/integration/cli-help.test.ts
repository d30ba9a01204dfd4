import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { useCliHarness, withoutFakeTwitchNote } from '../support/cli-harness.js';
import { CLI_PATH, cleanEnv } from '../support/relay-process.js';

const h = useCliHarness();

/** Every command of the real program, with its path, e.g. ['auth', 'status']. */
function commandsOf(command: Command, path: string[] = []): Array<{ path: string[]; command: Command }> {
  return [{ path, command }, ...command.commands.flatMap((sub) => commandsOf(sub, [...path, sub.name()]))];
}

/** Help text is wrapped to the terminal width: compare with whitespace collapsed. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('--help', () => {
  const all = commandsOf(buildProgram());

  it('covers the commands the issue names', () => {
    const names = all.map((c) => c.path.join(' '));
    for (const name of ['types', 'auth login', 'auth add', 'auth status', 'auth validate', 'auth revoke']) {
      expect(names).toContain(name);
    }
    for (const name of ['subscribe', 'unsubscribe', 'list', 'sync', 'serve']) expect(names).toContain(name);
  });

  it.each(all.map((c) => [c.path.join(' ') || '(root)', c] as const))(
    '%s --help shows its usage, description and every option with its description',
    async (_name, { path, command }) => {
      const result = await h.cli([...path, '--help']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const help = flat(result.stdout);
      expect(help).toContain(flat(`Usage: eventsub-relay ${path.join(' ')}`));
      expect(help).toContain(flat(command.description()));
      for (const option of command.options) {
        expect(help).toContain(option.flags);
        expect(help).toContain(flat(option.description));
      }
      for (const sub of command.commands) expect(help).toContain(sub.name());
      // commander prints a default value itself: a description that names it too says it twice.
      expect(help).not.toMatch(/\(default:? [^)]*\)\s*\(default: /);
    },
  );

  it('states what the commands really do where it matters', async () => {
    const status = flat((await h.cli(['auth', 'status', '--help'])).stdout);
    expect(status).toContain('no Twitch call, no client credentials needed');
    const login = flat((await h.cli(['auth', 'login', '--help'])).stdout);
    expect(login).toContain('no config file: pass one of them');
    expect(login).toContain('The new token replaces the stored one of the same user');
    const types = flat((await h.cli(['types', '--help'])).stdout);
    expect(types).toContain('whose authorization');
  });
});

describe('types', () => {
  it('prints type, version, condition, whose authorization and scopes, with a legend and notes', async () => {
    const result = await h.cli(['types']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^TYPE\s+VERSION\s+CONDITION\s+AUTHORIZED BY\s+SCOPES$/m);
    expect(result.stdout).toMatch(
      /^channel\.follow\s+2\s+broadcaster_user_id,moderator_user_id\s+moderator\s+moderator:read:followers$/m,
    );
    expect(result.stdout).toMatch(/^channel\.cheer\s+1\s+broadcaster_user_id\s+broadcaster\s+bits:read$/m);
    expect(result.stdout).toMatch(
      /^channel\.chat\.message\s+1\s+broadcaster_user_id,user_id\s+user_id\s+user:read:chat \+ user:bot$/m,
    );
    expect(result.stdout).toMatch(/^stream\.online\s+1\s+broadcaster_user_id\s+-\s+-$/m);
    expect(result.stdout).toMatch(/^user\.authorization\.revoke\s+1\s+client_id\s+app token\s+-$/m);
    expect(result.stdout).toContain('83 type/versions');
    expect(result.stdout).toContain('AUTHORIZED BY: whose authorization Twitch checks');
    expect(result.stdout).toContain(
      'drop.entitlement.grant: our client id must be owned by a member of the organization',
    );
    const json = JSON.parse((await h.cli(['types', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(json.find((e) => e.type === 'channel.follow')).toMatchObject({
      authorizedBy: 'moderator',
      version: '2',
    });
  });
});

/** Runs the CLI with its stdout pipe closed before it writes anything: what `… | head` does to it. */
function runWithClosedStdout(args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd, env: cleanEnv(env) });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a closed stdout (`eventsub-relay types | head`)', () => {
  it.each([[['types']], [['list']], [['auth', 'status']], [['sync', '--help']]])(
    '%j stops quietly with exit 0 instead of crashing on EPIPE',
    async (args) => {
      await h.authorize([]);
      const result = withoutFakeTwitchNote(await runWithClosedStdout(args, h.env(), h.dir), h.env(), args);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    },
  );
});
