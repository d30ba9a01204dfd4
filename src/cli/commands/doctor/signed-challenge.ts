import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MessageType, TwitchHeader } from '../../../twitch/headers.js';
import { signMessage } from '../../../twitch/signature.js';

/** What came back for one signed challenge: the status and body, or the connection error. */
export type ChallengeAnswer =
  { status: number; body: string; echoed: boolean; error?: undefined } | { error: NodeJS.ErrnoException };

/** A `webhook_callback_verification` exactly as Twitch sends one, signed with `secret`. */
function challengeRequest(secret: string, callback: string) {
  const challenge = randomBytes(24).toString('base64url');
  const messageId = randomUUID();
  const timestamp = new Date().toISOString().replace(/Z$/, '000000Z'); // Twitch's nanoseconds
  const body = JSON.stringify({
    challenge,
    subscription: {
      id: randomUUID(),
      status: 'webhook_callback_verification_pending',
      type: 'channel.follow',
      version: '2',
      cost: 0,
      condition: { broadcaster_user_id: '0', moderator_user_id: '0' },
      transport: { method: 'webhook', callback },
      created_at: new Date().toISOString(),
    },
  });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    [TwitchHeader.messageId]: messageId,
    [TwitchHeader.messageRetry]: '0',
    [TwitchHeader.messageType]: MessageType.verification,
    [TwitchHeader.messageSignature]: signMessage(secret, messageId, timestamp, body),
    [TwitchHeader.messageTimestamp]: timestamp,
    [TwitchHeader.subscriptionType]: 'channel.follow',
    [TwitchHeader.subscriptionVersion]: '2',
  };
  return { challenge, body, headers };
}

export interface ChallengeTarget {
  /** The callback URL as Twitch would call it (what the challenge names as its transport). */
  callback: string;
  /** Where to connect (may differ from the URL's host: --connect-to, or the relay's own address). */
  connect: { host: string; port: number };
  /** TLS: the trusted CAs; the certificate is judged by the TLS check, so it is not enforced here. */
  ca?: string[];
}

/** Sends one signed challenge and reports whether exactly the challenge came back. Never throws. */
export function sendChallenge(
  secret: string,
  target: ChallengeTarget,
  timeoutMs: number,
): Promise<ChallengeAnswer> {
  const url = new URL(target.callback);
  const { challenge, body, headers } = challengeRequest(secret, target.callback);
  const options = {
    host: target.connect.host,
    port: target.connect.port,
    path: url.pathname,
    method: 'POST',
    headers: { ...headers, host: url.host },
    timeout: timeoutMs,
  };
  return new Promise((resolve) => {
    const req =
      url.protocol === 'https:'
        ? httpsRequest({
            ...options,
            servername: url.hostname,
            ca: target.ca,
            rejectUnauthorized: false,
            agent: false,
          })
        : httpRequest({ ...options, agent: false });
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < 4096) text += chunk;
      });
      res.once('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: text,
          echoed: res.statusCode === 200 && text === challenge,
        }),
      );
      res.once('error', (error) => resolve({ error }));
    });
    req.once('timeout', () =>
      req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
    req.once('error', (error) => resolve({ error }));
    req.end(body);
  });
}
