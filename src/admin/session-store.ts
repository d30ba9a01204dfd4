import { createHash, randomBytes } from 'node:crypto';

/** A logged-in browser: its CSRF token and when the session ends. */
export interface AdminSession {
  csrfToken: string;
  expiresAt: number;
}

/** How long a session lasts from its login (a working day; the token logs in again). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Sessions kept at most; the oldest is dropped first (a flood of logins cannot grow memory). */
const MAX_SESSIONS = 1000;

const hashOf = (id: string) => createHash('sha256').update(id, 'utf8').digest('base64url');
const randomToken = () => randomBytes(32).toString('base64url');

/**
 * Sessions in this process's memory: a restart logs everyone out, which is fine for one admin.
 * Kept by the SHA-256 of the session id, so a lookup's timing says nothing about stored ids.
 */
export class SessionStore {
  private readonly sessions = new Map<string, AdminSession>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session: its id (for the cookie only) and its CSRF token (for the page). */
  create(): { id: string; session: AdminSession } {
    this.dropExpired();
    while (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
    const id = randomToken();
    const session = { csrfToken: randomToken(), expiresAt: this.now() + SESSION_TTL_MS };
    this.sessions.set(hashOf(id), session);
    return { id, session };
  }

  /** The session of this id, if it exists and has not expired. */
  find(id: string | undefined): AdminSession | undefined {
    if (!id) return undefined;
    const key = hashOf(id);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return session;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(hashOf(id));
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [key, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(key);
  }
}
