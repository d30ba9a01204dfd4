import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessToken } from '@twurple/auth';

/** A user's token as kept on disk: twurple's AccessToken plus who it belongs to. */
export interface StoredToken extends AccessToken {
  userId: string;
  login: string;
}

/**
 * One JSON file per Twitch user id in DATA_DIR/tokens/, mode 0600 (tokens are credentials).
 * Writes go to a temporary file first and are renamed, so a crash never leaves half a token.
 */
export class TokenStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'tokens');
  }

  /** Path of a user's token file (the user id is digits only, checked here). */
  pathFor(userId: string): string {
    if (!/^\d+$/.test(userId)) throw new Error(`not a Twitch user id: ${userId}`);
    return join(this.dir, `${userId}.json`);
  }

  save(token: StoredToken): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const path = this.pathFor(token.userId);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(token, null, 2) + '\n', { mode: 0o600 });
    chmodSync(temporary, 0o600); // the umask cannot widen it, but an existing file's mode could
    renameSync(temporary, path);
  }

  /** Updates the token part of a stored user (after a refresh), keeping who it belongs to. */
  update(userId: string, token: AccessToken): void {
    const existing = this.get(userId);
    this.save({ ...token, userId, login: existing?.login ?? userId });
  }

  get(userId: string): StoredToken | undefined {
    try {
      return JSON.parse(readFileSync(this.pathFor(userId), 'utf8')) as StoredToken;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Finds a stored user by login (case-insensitive) or user id. */
  find(loginOrId: string): StoredToken | undefined {
    const wanted = loginOrId.toLowerCase();
    return this.all().find((t) => t.userId === loginOrId || t.login.toLowerCase() === wanted);
  }

  all(): StoredToken[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => /^\d+\.json$/.test(n))
      .map((n) => this.get(n.replace('.json', '')))
      .filter((t): t is StoredToken => t !== undefined);
  }

  remove(userId: string): void {
    rmSync(this.pathFor(userId), { force: true });
  }
}
