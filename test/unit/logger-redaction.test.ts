import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import { isSecretKey } from '../../src/observability/redact-secrets.js';

/** The real logger writing into memory; `lines()` parses what it wrote. */
function capture() {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  const logger = createLogger('debug', destination);
  return {
    logger,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const SECRETS = [
  'Bearer header-token-1',
  'api-key-2',
  'session=cookie-3',
  'sid=set-cookie-4',
  'sha256=signature-5',
  'deep-bearer-6',
  'sink-password-7',
  'hunter2-8',
  'eventsub-secret-9',
  'client-secret-10',
  'access-token-11',
  'refresh-token-12',
  'error-bearer-13',
  'url-pw-14',
  'child-token-15',
  'msg-pw-16',
];

describe('logger redaction', () => {
  it('redacts header names in any case, wherever they are nested', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        headers: {
          Authorization: SECRETS[0],
          'X-Api-Key': SECRETS[1],
          Cookie: SECRETS[2],
          'Set-Cookie': [SECRETS[3]],
          'Twitch-Eventsub-Message-Signature': SECRETS[4],
          'Content-Type': 'application/json',
          'Twitch-Eventsub-Message-Id': 'message-1',
        },
        config: {
          sinks: [
            {
              name: 'bot',
              options: {
                headers: { AUTHORIZATION: SECRETS[5], 'X-Tenant': 'streamer1' },
                password: SECRETS[6],
                url: `redis://:${SECRETS[7]}@127.0.0.1:6379`,
              },
            },
          ],
        },
      },
      'request',
    );
    const [line] = lines();
    expect(line).toMatchObject({
      msg: 'request',
      headers: {
        Authorization: '[redacted]',
        'X-Api-Key': '[redacted]',
        Cookie: '[redacted]',
        'Set-Cookie': '[redacted]',
        'Twitch-Eventsub-Message-Signature': '[redacted]',
        'Content-Type': 'application/json',
        'Twitch-Eventsub-Message-Id': 'message-1',
      },
      config: {
        sinks: [
          {
            name: 'bot',
            options: {
              headers: { AUTHORIZATION: '[redacted]', 'X-Tenant': 'streamer1' },
              password: '[redacted]',
              url: 'redis://:***@127.0.0.1:6379',
            },
          },
        ],
      },
    });
  });

  it('redacts token, secret, password and signature fields in any spelling, keeps the rest', () => {
    const { logger, lines } = capture();
    logger.warn({
      EVENTSUB_SECRET: SECRETS[8],
      twitch: { clientId: 'client-id', clientSecret: SECRETS[9] },
      tokens: { accessToken: SECRETS[10], refresh_token: SECRETS[11], scopes: ['user:read:chat'] },
      secretFile: { path: '/data/eventsub-secret', generated: true },
      secrets: ['a', 'b'],
      messageId: 'm-1',
      status: 403,
    });
    expect(lines()[0]).toMatchObject({
      level: 40,
      EVENTSUB_SECRET: '[redacted]',
      twitch: { clientId: 'client-id', clientSecret: '[redacted]' },
      tokens: { accessToken: '[redacted]', refresh_token: '[redacted]', scopes: ['user:read:chat'] },
      secretFile: { path: '/data/eventsub-secret', generated: true },
      secrets: '[redacted]',
      messageId: 'm-1',
      status: 403,
    });
  });

  it('redacts inside serialized errors, child bindings and messages', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error(`POST https://bot:${SECRETS[13]}@consumer.example/hook failed`), {
      request: { headers: { Authorization: SECRETS[12] } },
    });
    logger.error({ err: error }, 'delivery failed');
    logger.child({ sink: 'bus', token: SECRETS[14] }).info('connected');
    logger.info(`connecting to nats://relay:${SECRETS[15]}@127.0.0.1:4222`);
    logger.child({ sink: 'outer' }).child({ Password: SECRETS[6] }).warn('grandchild');
    const [failed, connected, connecting, grandchild] = lines();
    expect(grandchild).toMatchObject({ sink: 'outer', Password: '[redacted]', msg: 'grandchild' });
    expect(failed).toMatchObject({
      err: {
        type: 'Error',
        message: 'POST https://bot:***@consumer.example/hook failed',
        request: { headers: { Authorization: '[redacted]' } },
      },
    });
    expect(connected).toMatchObject({ sink: 'bus', token: '[redacted]', msg: 'connected' });
    expect(connecting).toMatchObject({ msg: 'connecting to nats://relay:***@127.0.0.1:4222' });
  });

  it('no secret value reaches the output, and the logged objects are left untouched', () => {
    const { logger, text } = capture();
    const logged = { headers: { authorization: SECRETS[0] }, nested: { deeper: { apiKey: SECRETS[1] } } };
    logger.info(logged);
    logger.info({ Signature: SECRETS[4], 'x-auth-token': SECRETS[10], pass: SECRETS[6] });
    for (const secret of SECRETS) expect(text()).not.toContain(secret);
    expect(logged.headers.authorization).toBe(SECRETS[0]);
    expect(logged.nested.deeper.apiKey).toBe(SECRETS[1]);
  });

  it('survives circular objects', () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { name: 'loop', password: 'circular-pw' };
    loop.self = loop;
    logger.info({ loop });
    expect(lines()[0]).toMatchObject({ loop: { name: 'loop', password: '[redacted]', self: '[circular]' } });
  });

  it.each([
    ['Authorization', true],
    ['proxy-authorization', true],
    ['X-API-KEY', true],
    ['set-cookie', true],
    ['webhook-signature', true],
    ['FORWARD_SECRET', true],
    ['client_secret', true],
    ['x-auth-token', true],
    ['messageId', false],
    ['subscriptionType', false],
    ['content-type', false],
    ['status', false],
    // Where a secret is kept is not the secret: the path is what a person needs to read it.
    ['tokenFile', false],
    ['secret_path', false],
    ['TOKEN_DIR', false],
    ['tokenFileContents', true],
  ])('isSecretKey(%s) is %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected);
  });
});
