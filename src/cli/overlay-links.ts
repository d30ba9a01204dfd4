import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { streamTokenFileName } from '../config/provision.js';
import { UserError } from './user-error.js';

// The page names live in a module of their own: `overlay url --help` lists them without this module's imports.
import { OVERLAY_PAGES, type OverlayPage } from './overlay-pages.js';
export { OVERLAY_PAGES, type OverlayPage } from './overlay-pages.js';

/** One stream of the config file with the token a browser source presents. */
export interface OverlayStream {
  name: string;
  token: string;
}

/** Where the relay listens and what else says which host a browser on another PC should use. */
export interface OverlayOrigin {
  origin: string;
  /** Why a browser on another PC may not reach this origin, when that is so. */
  note?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const EVERY_ADDRESS = new Set(['0.0.0.0', '::']);

/**
 * This machine's address on the LAN: the first private IPv4 address of an interface that is up
 * (a streaming PC is usually on one home network), else any non-internal IPv4 address.
 */
export function lanAddress(interfaces = networkInterfaces()): string | undefined {
  const candidates = Object.values(interfaces)
    .flat()
    .filter((info) => info !== undefined && info.family === 'IPv4' && !info.internal)
    .map((info) => info!.address);
  const isPrivate = (address: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(address);
  return candidates.find(isPrivate) ?? candidates[0];
}

const bracketed = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * The origin to put in front of /overlay/: `--url` as given; else `--host` on the relay's port;
 * else the address the relay listens on, with this machine's LAN address for a relay that listens
 * on every address (OBS on another PC cannot use "0.0.0.0"). A relay that listens on loopback only
 * is reachable from this machine alone: the note says so and how to open it up.
 */
export function overlayOrigin(
  listen: { host: string; port: number },
  options: { host?: string; url?: string } = {},
  interfaces = networkInterfaces(),
): OverlayOrigin {
  if (options.url) return { origin: options.url.replace(/\/+$/, '') };
  const port = listen.port;
  if (options.host) return { origin: `http://${bracketed(options.host)}:${port}` };
  if (EVERY_ADDRESS.has(listen.host)) {
    const lan = lanAddress(interfaces);
    if (lan) return { origin: `http://${lan}:${port}` };
    return {
      origin: `http://127.0.0.1:${port}`,
      note: 'no LAN address found on this machine: pass --host with the name or address other PCs use',
    };
  }
  if (LOOPBACK.has(listen.host))
    return {
      origin: `http://${bracketed(listen.host)}:${port}`,
      note:
        `the relay listens on ${listen.host} (HOST), so only OBS on this machine can open this URL; ` +
        `for OBS on another PC set HOST=0.0.0.0 (and allow port ${port} through the firewall), ` +
        'or serve it through nginx and pass --url with that origin',
    };
  return { origin: `http://${bracketed(listen.host)}:${port}` };
}

/** The ready-to-paste URL of one page for one stream (the token travels as ?token=, as EventSource needs). */
export function overlayUrl(origin: string, stream: OverlayStream, page: OverlayPage = 'alerts'): string {
  const query = new URLSearchParams({ stream: stream.name, token: stream.token });
  return `${origin}/overlay/${OVERLAY_PAGES[page]}?${query.toString()}`;
}

/**
 * The streams of the config file's `streams:` entries (as written; the relay validates them) with
 * their tokens: the entry's `token:`, else the file the relay generated in DATA_DIR. Creates
 * nothing; a stream whose token file does not exist yet is reported with how to get one.
 */
export function overlayStreams(entries: readonly unknown[], dataDir: string): OverlayStream[] {
  return entries.flatMap((entry) => {
    const { name, token } = (entry ?? {}) as { name?: unknown; token?: unknown };
    if (typeof name !== 'string') return [];
    if (typeof token === 'string') return [{ name, token }];
    const file = join(dataDir, streamTokenFileName(name));
    if (!existsSync(file))
      throw new UserError(
        `no token for stream "${name}" yet: start the relay once with this DATA_DIR (it writes ${file}), then run this again`,
      );
    return [{ name, token: readFileSync(file, 'utf8').trim() }];
  });
}
