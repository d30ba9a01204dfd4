import { AuthSetupError } from '../auth/auth-errors.js';

/**
 * The callback Twitch will call: PUBLIC_URL + /callback. Twitch only calls HTTPS on port 443 and
 * follows no redirects, so anything else is refused here (before Twitch answers a vaguer 400)
 * unless `allowInsecure` is set for local testing against a fake.
 */
export function callbackUrl(publicUrl: string | undefined, allowInsecure: boolean): string {
  if (!publicUrl) {
    throw new AuthSetupError(
      'PUBLIC_URL is not set: set it to the https origin Twitch reaches (e.g. PUBLIC_URL=https://eventsub.example.com, served by nginx on port 443)',
    );
  }
  const url = new URL(publicUrl.replace(/\/+$/, '') + '/callback');
  if (!allowInsecure && (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443'))) {
    throw new AuthSetupError(
      `PUBLIC_URL ${publicUrl} cannot be a callback: Twitch only delivers to https:// on port 443 (no other port, no redirects). ` +
        'Put nginx with TLS in front (see docs/deploy) and set PUBLIC_URL=https://<your host>; for local tests against a fake Twitch, pass --allow-insecure-callback.',
    );
  }
  return url.toString();
}
