import { didYouMean } from './did-you-mean.js';

/** Loopback and private-looking hosts: a scheme-less `localhost:9000/hook` most likely meant plain http. */
const LOCAL_HOST =
  /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0|10\.|192\.168\.|[^/:]+\.(local|lan|home\.arpa|internal))/i;

/** `localhost:9000/hook` → `http://localhost:9000/hook`; `consumer.example/hook` → `https://…`. */
function withScheme(value: string): string {
  return `${LOCAL_HOST.test(value) ? 'http' : 'https'}://${value}`;
}

/**
 * Why `value` cannot be a URL the relay sends requests to (FORWARD_URL, an http sink's `url`,
 * TWITCH_REDIRECT_URI), or undefined when it can: http:// or https:// only. Anything else would be
 * accepted by the URL parser and then fail every delivery, so the message says what to write.
 */
export function httpUrlProblem(value: string, example: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
  if (scheme === undefined) {
    // `localhost:9000/hook` parses as a URL with the scheme `localhost:`: catch it before the parser.
    const candidate = withScheme(value);
    return URL.canParse(candidate) && !/\s/.test(value)
      ? `must start with http:// or https://; did you mean ${candidate}?`
      : `must be an http:// or https:// URL, ${example}`;
  }
  const lower = scheme.toLowerCase();
  if (lower !== 'http' && lower !== 'https') {
    const meant = didYouMean(lower, ['http', 'https']);
    const rest = value.slice(scheme.length + 3);
    return meant && !['ftp', 'ws', 'wss', 'file'].includes(lower)
      ? `must start with http:// or https://; did you mean ${meant}://${rest}?`
      : `only http:// and https:// URLs are supported (found ${lower}://), ${example}`;
  }
  if (!URL.canParse(value)) return `must be an http:// or https:// URL, ${example}`;
  return undefined;
}
