import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openSse, type SseConnection } from './sse-reader.js';
import { tempDir } from './temp-dir.js';
import { fixture } from './sign.js';

/** The token of the `overlay` stream the alert tests configure. */
export const OVERLAY_TOKEN = 'overlay-token-0f9e8d7c6b5a4321';

/** Writes an eventsub-relay.yml with an `overlay` stream and this `alerts:`; returns its path. */
export function writeAlertsConfig(
  alerts: Record<string, unknown> | undefined,
  cleanups: (() => void)[],
  streams: unknown[] = [{ name: 'overlay', token: OVERLAY_TOKEN }],
): string {
  const dir = tempDir('relay-alerts-');
  cleanups.push(dir.cleanup);
  const path = join(dir.path, 'eventsub-relay.yml');
  writeFileSync(path, stringify({ streams, ...(alerts && { alerts }) }));
  return path;
}

/** One `queue` message of /overlay/<stream>/alerts, as the page parses it. */
export interface QueueMessage {
  paused: boolean;
  waiting: number;
  current: {
    id: string;
    play: number;
    type: string;
    kind: string;
    title: string;
    message: string;
    image?: string;
    sound?: string;
    durationMs: number;
    elapsedMs: number;
    remainingMs: number;
  } | null;
}

/** The page's connection to the alert queue of `stream`. */
export function openAlerts(
  baseUrl: string,
  stream = 'overlay',
  token = OVERLAY_TOKEN,
): Promise<SseConnection> {
  return openSse(`${baseUrl}/overlay/${stream}/alerts?token=${encodeURIComponent(token)}`);
}

export const queueMessages = (connection: SseConnection): QueueMessage[] =>
  connection.events
    .filter((event) => event.event === 'queue')
    .map((event) => JSON.parse(event.data) as QueueMessage);

/** The titles shown, in order, each showing once (by its play number). */
export function shownTitles(messages: readonly QueueMessage[]): string[] {
  const plays = new Map<number, string>();
  for (const message of messages) if (message.current) plays.set(message.current.play, message.current.title);
  return [...plays.entries()].sort((a, b) => a[0] - b[0]).map(([, title]) => title);
}

/** A documented payload with some event fields changed. */
export function withEvent(name: string, changes: Record<string, unknown>): Record<string, unknown> {
  const base = fixture(name) as { subscription: unknown; event: Record<string, unknown> };
  return { subscription: base.subscription, event: { ...base.event, ...changes } };
}
