import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { tempDir } from './temp-dir.js';
import { fixture, signedRequest } from './sign.js';

/** Tokens the stream tests configure (long enough for the schema, unique enough to grep logs for). */
export const ALL_TOKEN = 'all-token-5f1c0e9a7b3d2468ace0';
export const FOLLOWS_TOKEN = 'follows-token-9d8c7b6a5f4e3d2c1b0a';

/** Writes an eventsub-relay.yml with these `streams:` into a temp folder; returns its path. */
export function writeStreamsConfig(streams: unknown[], cleanups: (() => void)[]): string {
  const dir = tempDir('relay-streams-');
  cleanups.push(dir.cleanup);
  const path = join(dir.path, 'eventsub-relay.yml');
  writeFileSync(path, stringify({ streams }));
  return path;
}

/** A channel.follow v2 (Twitch's documented sample) from a given user, distinct per call. */
export function follow(userId: string): Record<string, unknown> {
  const base = fixture('notification.channel.follow.v2.json') as { subscription: unknown; event: object };
  return {
    subscription: base.subscription,
    event: { ...base.event, user_id: userId, user_name: `user${userId}` },
  };
}

/** POSTs one signed notification to /callback; throws unless the relay answered 2xx. */
export async function postEvent(baseUrl: string, secret: string, payload: unknown): Promise<string> {
  const signed = signedRequest(secret, payload);
  const res = await fetch(`${baseUrl}/callback`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  if (!res.ok) throw new Error(`relay answered ${res.status} to an event: ${await res.text()}`);
  return signed.messageId;
}

/** POSTs `count` follows, `parallel` at a time; returns their message ids in the order posted. */
export async function postFollows(
  baseUrl: string,
  secret: string,
  count: number,
  parallel = 16,
): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const index = next++;
        ids[index] = await postEvent(baseUrl, secret, follow(String(100000 + index)));
      }
    }),
  );
  return ids;
}
