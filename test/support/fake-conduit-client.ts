import WebSocket from 'ws';
import type { FakeTwitch } from './fake-twitch.js';
import { waitFor } from './wait-for.js';

/** One Helix call to the fake as twurple would make it (app token unless told otherwise). */
export async function helix(
  twitch: FakeTwitch,
  method: string,
  path: string,
  body?: unknown,
  token = 'app-token',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${twitch.port}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Client-Id': twitch.clientId,
      'Content-Type': 'application/json',
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A bare EventSub WebSocket client: its session id, every frame it got, how it closed. */
export interface RawSession {
  id: string;
  frames: Array<{ metadata: Record<string, string>; payload: Record<string, unknown> }>;
  closeCode?: number;
  socket: WebSocket;
}

export async function openSession(url: string): Promise<RawSession> {
  const socket = new WebSocket(url);
  const session: RawSession = { id: '', frames: [], socket };
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as RawSession['frames'][number];
    session.frames.push(frame);
    if (frame.metadata.message_type === 'session_welcome')
      session.id = (frame.payload.session as { id: string }).id;
  });
  socket.on('close', (code) => (session.closeCode = code));
  await waitFor(() => session.id !== '', 5000, 'session_welcome');
  return session;
}

/** The notifications a session received (message id and event). */
export function notificationsOf(
  session: RawSession,
): Array<{ id: string; type: string; event: Record<string, unknown> }> {
  return session.frames
    .filter((f) => f.metadata.message_type === 'notification')
    .map((f) => ({
      id: f.metadata.message_id!,
      type: f.metadata.subscription_type!,
      event: f.payload.event as Record<string, unknown>,
    }));
}
