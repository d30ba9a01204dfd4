import { isIP } from 'node:net';

/** RFC 1123 hostname: dot-separated labels of letters, digits and inner hyphens, 253 characters at most. */
const HOSTNAME =
  /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/**
 * Why `value` cannot be a listen address (HOST), or undefined when it can: an IPv4 or IPv6
 * address, or a hostname. Digits and dots only is read as IPv4 (as resolvers do), so 999.1.1.1
 * is refused here instead of failing later with getaddrinfo ENOTFOUND.
 */
export function listenHostProblem(value: string): string | undefined {
  if (isIP(value)) return undefined;
  const example = 'e.g. 127.0.0.1 (behind nginx), 0.0.0.0, ::1 or localhost';
  if (/^[\d.]+$/.test(value)) return `${value} is not a valid IPv4 address (four numbers 0–255); ${example}`;
  if (value.startsWith('[')) return `write an IPv6 address without brackets (e.g. ::1, not [::1])`;
  if (!HOSTNAME.test(value)) return `must be an IP address or a hostname; ${example}`;
  return undefined;
}

/**
 * Why `value` cannot be PUBLIC_URL, or undefined when it can: an origin (scheme, host, optional
 * port) and nothing else, since the relay appends /callback itself. http is allowed here so a
 * local test setup can start; `subscribe`/`sync` refuse anything but https on 443 unless
 * --allow-insecure-callback is given.
 */
export function publicOriginProblem(value: string): string | undefined {
  const example = 'e.g. https://eventsub.example.com';
  let url: URL;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && URL.canParse(`https://${value}`)) {
    return `must be an origin URL (scheme://host[:port]); did you mean https://${value}?`;
  }
  try {
    url = new URL(value);
  } catch {
    return `must be an origin URL (scheme://host[:port]), ${example}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `must start with https:// (Twitch calls https on port 443; http:// only for local tests), ${example}`;
  }
  if (url.username || url.password) return `must not contain a user or password, ${example}`;
  if (url.pathname !== '/') {
    return `must be an origin without a path (found ${url.pathname}): the relay appends /callback itself, ${example}`;
  }
  if (url.search || url.hash || /[?#]/.test(value)) {
    return `must be an origin without a query (?…) or fragment (#…), ${example}`;
  }
  return undefined;
}

/**
 * Why `value` cannot be EVENTSUB_WS_URL, or undefined when it can: a ws:// or wss:// URL
 * (wss:// for Twitch; ws:// is for a local test server). A query such as
 * `?keepalive_timeout_seconds=30` is kept and sent as is.
 */
export function webSocketUrlProblem(value: string): string | undefined {
  const example =
    'e.g. wss://eventsub.wss.twitch.tv/ws (the default) or ws://127.0.0.1:8091/ws for a local test server';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be a WebSocket URL, ${example}`;
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') return `must start with wss:// or ws://, ${example}`;
  if (url.username || url.password) return `must not contain a user or password, ${example}`;
  return undefined;
}
