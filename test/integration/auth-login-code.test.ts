import { expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loginThroughBrowser, useCliHarness } from '../support/cli-harness.js';
import { CLI_PATH, cleanEnv, freePort } from '../support/relay-process.js';

const harness = useCliHarness();

it('auth login prints the authorize URL, takes the redirect with ?code=, stores the token', async () => {
  harness.twitch.addUser({ id: '1337', login: 'streamer' }, ['moderator:read:followers'], 'code-access');
  harness.twitch.codes.set('the-code', { accessToken: 'code-access', refreshToken: 'code-refresh' });
  const redirectUri = `http://localhost:${await freePort()}`;
  const child = spawn(process.execPath, [CLI_PATH, 'auth', 'login', '--types', 'channel.follow'], {
    cwd: harness.dir,
    env: cleanEnv({
      DATA_DIR: harness.dir,
      TWURPLE_MOCK_API_PORT: String(harness.twitch.port),
      TWITCH_CLIENT_ID: harness.twitch.clientId,
      TWITCH_CLIENT_SECRET: harness.twitch.clientSecret,
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
  expect(JSON.parse(readFileSync(join(harness.dir, 'tokens', '1337.json'), 'utf8'))).toMatchObject({
    refreshToken: 'code-refresh',
  });
});

it('a wrong TWITCH_CLIENT_SECRET at the code exchange is named as such, the secret never printed, nothing stored', async () => {
  harness.twitch.users.push({ id: '1337', login: 'streamer' });
  const env = {
    DATA_DIR: harness.dir,
    TWURPLE_MOCK_API_PORT: String(harness.twitch.port),
    TWITCH_CLIENT_ID: harness.twitch.clientId,
    TWITCH_CLIENT_SECRET: 'not-the-real-secret',
  };
  const login = await loginThroughBrowser(['--scopes', 'bits:read'], env, harness.dir);
  expect(login.code).toBe(1);
  expect(login.stderr).toContain(
    'cannot exchange the authorization code: Twitch rejected TWITCH_CLIENT_SECRET (id.twitch.tv answered 403 "invalid client secret")',
  );
  expect(login.stderr).not.toContain('not-the-real-secret');
  expect(existsSync(join(harness.dir, 'tokens', '1337.json'))).toBe(false);
});
