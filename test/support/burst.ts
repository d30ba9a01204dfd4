import { Agent, request } from 'undici';
import { followNotification, signedRequest, type SignedRequest } from './sign.js';

/** What a burst of signed notifications came to, per message id. */
export interface BurstResult {
  /** Answered 2xx: the relay promised these are durable. */
  acked: Set<string>;
  /** Answered 503: Twitch would send these again (same message id); `resend` does. */
  refused: Map<string, SignedRequest>;
  /** Every status seen, in answer order. */
  statuses: number[];
}

const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

/** POSTs one signed request; a connection error counts as status 0 (the relay did not answer). */
export async function postSignedRequest(baseUrl: string, signed: SignedRequest): Promise<number> {
  try {
    const res = await request(`${baseUrl}/callback`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
      dispatcher: agent,
    });
    await res.body.arrayBuffer();
    return res.statusCode;
  } catch {
    return 0;
  }
}

/**
 * Sends `count` distinct signed notifications, `concurrency` at a time, and records each answer;
 * `during(i)` runs before the i-th request (to break something mid-burst).
 */
export async function sendBurst(
  baseUrl: string,
  secret: string,
  count: number,
  options: { concurrency?: number; during?: (index: number) => void | Promise<void> } = {},
): Promise<BurstResult> {
  const result: BurstResult = { acked: new Set(), refused: new Map(), statuses: [] };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await options.during?.(index);
      const signed = signedRequest(secret, followNotification());
      const status = await postSignedRequest(baseUrl, signed);
      result.statuses.push(status);
      if (status >= 200 && status < 300) result.acked.add(signed.messageId);
      else result.refused.set(signed.messageId, signed);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return result;
}

/** Sends every refused request again as Twitch would (same id and body, retry 1); returns the statuses. */
export async function resend(
  baseUrl: string,
  secret: string,
  refused: BurstResult['refused'],
): Promise<number[]> {
  const statuses: number[] = [];
  for (const signed of refused.values()) {
    const again = signedRequest(secret, signed.body, { messageId: signed.messageId, retry: 1 });
    statuses.push(await postSignedRequest(baseUrl, again));
  }
  return statuses;
}

/**
 * Sends distinct signed notifications until the last `consecutive` were all refused (503): on a
 * disk that just filled up, the first writes may still fit in space the store had already claimed.
 * Gives up after `max` (the caller's assertions then fail with what was seen).
 */
export async function sendUntilRefused(
  baseUrl: string,
  secret: string,
  options: { consecutive?: number; max?: number } = {},
): Promise<BurstResult> {
  const consecutive = options.consecutive ?? 20;
  const max = options.max ?? 5000;
  const result: BurstResult = { acked: new Set(), refused: new Map(), statuses: [] };
  let refusedInARow = 0;
  while (refusedInARow < consecutive && result.statuses.length < max) {
    const round = await sendBurst(baseUrl, secret, 16);
    for (const id of round.acked) result.acked.add(id);
    for (const [id, signed] of round.refused) result.refused.set(id, signed);
    for (const status of round.statuses) {
      result.statuses.push(status);
      refusedInARow = status === 503 ? refusedInARow + 1 : 0;
    }
  }
  return result;
}
