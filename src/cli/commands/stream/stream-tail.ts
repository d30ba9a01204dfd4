import { globToRegExp } from '../../../twitch/glob.js';
import { SseParser, type ServerSentEvent } from './sse-parser.js';
import type { StreamTarget } from './stream-target.js';
import { UserError } from '../../user-error.js';

export interface TailOptions {
  target: StreamTarget;
  /** Types to print (`*` globs); all when empty. */
  types: readonly string[];
  /** `now`, or a seq to resume after. */
  since: string;
  json: boolean;
  /** Stop after this many printed events (scripts, tests); forever when undefined. */
  count?: number;
  write: (line: string) => void;
  warn: (line: string) => void;
  signal: AbortSignal;
}

/** What the relay's JSON error said, for a message that tells the user what to do. */
async function errorMessage(res: Response): Promise<string> {
  const text = await res.text();
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text.slice(0, 200);
  }
}

/**
 * A one-line summary of an envelope for the table form. The time is when the relay received the
 * event (UTC), so what `--since` replays shows when it happened, not when it was printed.
 */
function describeStreamEvent(event: ServerSentEvent): string {
  const envelope = JSON.parse(event.data) as {
    type?: string;
    event?: Record<string, unknown> | null;
    receivedAt?: string;
  };
  const data = envelope.event ?? {};
  const who =
    data.user_name ?? data.user_login ?? data.from_broadcaster_user_name ?? data.broadcaster_user_name ?? '';
  const extra = data.bits ?? data.viewers ?? data.total ?? data.tier ?? '';
  return [
    event.id?.padStart(8),
    envelope.receivedAt?.slice(11, 19) ?? '',
    (envelope.type ?? event.event ?? '').padEnd(32),
    who,
    extra,
  ]
    .filter((part) => part !== '')
    .join('  ');
}

/**
 * Prints a stream's events as they come, reconnecting (after the relay's `retry:` hint) with
 * Last-Event-ID so a dropped connection or a relay restart loses nothing. Ends on a 4xx that
 * retrying cannot fix (wrong token, unknown stream), at `count`, or when `signal` aborts.
 */
export async function tailStream(options: TailOptions): Promise<void> {
  const patterns = options.types.map(globToRegExp);
  let lastId = options.since === 'now' ? undefined : options.since;
  let retryMs = 3000;
  let printed = 0;
  const done = () => options.signal.aborted || (options.count !== undefined && printed >= options.count);
  const stop = new AbortController();
  options.signal.addEventListener('abort', () => stop.abort(), { once: true });

  while (!done()) {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.target.token}`,
      Accept: 'text/event-stream',
    };
    if (lastId !== undefined) headers['Last-Event-ID'] = lastId;
    try {
      const res = await fetch(options.target.url + (lastId === undefined ? '?since=now' : ''), {
        headers,
        signal: stop.signal,
      });
      if (res.status === 429 || res.status >= 500) {
        options.warn(
          `relay answered ${res.status}: ${await errorMessage(res)}; retrying in ${retryMs / 1000} s`,
        );
      } else if (!res.ok) {
        throw new UserError(
          `cannot open stream "${options.target.name}" (${res.status}): ${await errorMessage(res)}`,
        );
      } else {
        const parser = new SseParser(
          (event) => {
            if (event.id) lastId = event.id;
            if (done()) return;
            const type = event.event ?? '';
            if (patterns.length > 0 && !patterns.some((pattern) => pattern.test(type))) return;
            options.write(options.json ? event.data : describeStreamEvent(event));
            printed++;
            if (done()) stop.abort();
          },
          (ms) => (retryMs = ms),
        );
        const decoder = new TextDecoder();
        for await (const chunk of res.body ?? [])
          parser.push(decoder.decode(chunk as Uint8Array, { stream: true }));
        if (!done())
          options.warn(`stream ended; reconnecting in ${retryMs / 1000} s from ${lastId ?? 'now'}`);
      }
    } catch (error) {
      if (error instanceof UserError) throw error;
      if (done()) break;
      options.warn(
        `stream connection failed (${(error as Error).message}); reconnecting in ${retryMs / 1000} s`,
      );
    }
    if (done()) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, retryMs);
      stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
