import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loginThroughBrowser } from '../support/cli-harness.js';
import { FakeTwitch } from '../support/fake-twitch.js';
import { CLI_PATH, cleanEnv, freePort } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

let twitch: FakeTwitch;
let dir: { path: string; cleanup: () => void };

beforeEach(async () => {
  twitch = await new FakeTwitch().start();
  dir = tempDir();
});
afterEach(async () => {
  await twitch.stop();
  dir.cleanup();
});

it('auth login prints the authorize URL, takes the redirect with ?code=, stores the token', async () => {
  twitch.addUser({ id: '1337', login: 'streamer' }, ['moderator:read:followers'], 'code-access');
  twitch.codes.set('the-code', { accessToken: 'code-access', refreshToken: 'code-refresh' });
  const redirectUri = `http://localhost:${await freePort()}`;
  const child = spawn(process.execPath, [CLI_PATH, 'auth', 'login', '--types', 'channel.follow'], {
    cwd: dir.path,
    env: cleanEnv({
      DATA_DIR: dir.path,
      TWURPLE_MOCK_API_PORT: String(twitch.port),
      TWITCH_CLIENT_ID: twitch.clientId,
      TWITCH_CLIENT_SECRET: twitch.clientSecret,
      TWITCH_REDIRECT_URI: redirectUri,
    }),
  });
  let stdout = '';
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const url = await new Promise<URL>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /(http:\/\/localhost:\d+\/auth\/authorize\?\S+)/.exec(stdout);
      if (match) resolve(new URL(match[1]!));
    }),
  );
  expect(url.searchParams.get('scope')).toBe('moderator:read:followers');
  expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);

  const forged = await fetch(`${redirectUri}/?code=the-code&state=wrong`);
  expect(forged.status).toBe(400);
  const answer = await fetch(`${redirectUri}/?code=the-code&state=${url.searchParams.get('state')}`);
  expect(answer.status).toBe(200);
  expect(await exited).toBe(0);
  expect(stdout).toContain('authorized streamer (user id 1337) with scopes: moderator:read:followers');
  expect(JSON.parse(readFileSync(join(dir.path, 'tokens', '1337.json'), 'utf8'))).toMatchObject({
    refreshToken: 'code-refresh',
  });
});

it('a wrong TWITCH_CLIENT_SECRET at the code exchange is named as such, the secret never printed, nothing stored', async () => {
  twitch.users.push({ id: '1337', login: 'streamer' });
  const env = {
    DATA_DIR: dir.path,
    TWURPLE_MOCK_API_PORT: String(twitch.port),
    TWITCH_CLIENT_ID: twitch.clientId,
    TWITCH_CLIENT_SECRET: 'not-the-real-secret',
  };
  const login = await loginThroughBrowser(['--scopes', 'bits:read'], env, dir.path);
  expect(login.code).toBe(1);
  expect(login.stderr).toContain(
    'cannot exchange the authorization code: Twitch rejected TWITCH_CLIENT_SECRET (id.twitch.tv answered 403 "invalid client secret")',
  );
  expect(login.stderr).not.toContain('not-the-real-secret');
  expect(existsSync(join(dir.path, 'tokens', '1337.json'))).toBe(false);
});
