import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a conduit the relay (or `sync`) created keeps its id: DATA_DIR is the relay's own, like its tokens. */
export const CONDUIT_ID_FILE = 'conduit.json';

/** The conduit id remembered in DATA_DIR, if any. */
export function rememberedConduitId(dataDir: string): string | undefined {
  const path = join(dataDir, CONDUIT_ID_FILE);
  if (!existsSync(path)) return undefined;
  const value = JSON.parse(readFileSync(path, 'utf8')) as { id?: unknown };
  return typeof value.id === 'string' ? value.id : undefined;
}

export function rememberConduitId(dataDir: string, id: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, CONDUIT_ID_FILE), `${JSON.stringify({ id })}\n`, { mode: 0o600 });
}
