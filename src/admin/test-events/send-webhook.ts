import type { WebhookRequest } from '../../twitch/webhook-request.js';

/** What came back for one request; `error` when nothing did (refused, timed out, not HTTP). */
export interface WebhookAnswer {
  status?: number;
  contentType?: string;
  /** The first 1 KiB of the answer's body. */
  body?: string;
  error?: string;
}

/** Like Twitch (and the Twitch CLI): POST once, follow no redirect, give up after 10 s. */
export async function sendWebhook(
  url: string,
  request: WebhookRequest,
  timeoutMs = 10_000,
): Promise<WebhookAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...request.headers, 'User-Agent': 'eventsub-relay-trigger' },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.text()).slice(0, 1024);
    return {
      status: response.status,
      ...(response.headers.get('content-type') && { contentType: response.headers.get('content-type')! }),
      body,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if ((error as Error).name === 'TimeoutError') return { error: `no answer within ${timeoutMs / 1000} s` };
    return { error: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}
