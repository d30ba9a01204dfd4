import type { AccessToken } from '@twurple/auth';
import { AuthSetupError } from './auth-errors.js';
import { twitchIdUrl } from './twitch-id-url.js';

/** What Twitch answers to POST oauth2/device (Device Code Grant Flow). */
export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  expiresInSeconds: number;
  intervalSeconds: number;
}

interface TwitchError {
  status?: number;
  message?: string;
}

async function postForm(
  endpoint: string,
  form: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(twitchIdUrl(endpoint), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text for the error message
  }
  return { status: response.status, body };
}

/**
 * Step 1: asks Twitch for a device code. @twurple/auth 8.1.4 has no Device Code Flow, so this is
 * the plain HTTP call (POST oauth2/device with client_id and scopes).
 */
export async function startDeviceFlow(clientId: string, scopes: readonly string[]): Promise<DeviceCode> {
  const { status, body } = await postForm('device', { client_id: clientId, scopes: scopes.join(' ') });
  const data = body as Record<string, unknown>;
  if (status !== 200 || typeof data.device_code !== 'string') {
    throw new AuthSetupError(
      `Twitch refused to start the device flow (HTTP ${status}: ${(data as TwitchError).message ?? String(body)}); ` +
        'check TWITCH_CLIENT_ID and that the application is a "Public" or "Confidential" client with Device Code Grant allowed',
    );
  }
  return {
    deviceCode: data.device_code,
    userCode: String(data.user_code),
    verificationUri: String(data.verification_uri),
    expiresInSeconds: Number(data.expires_in ?? 1800),
    intervalSeconds: Number(data.interval ?? 5),
  };
}

/**
 * Step 2: polls POST oauth2/token at the interval Twitch asked for until the user grants
 * (returns the token), denies, or the code expires (both throw with what to do next).
 */
export async function pollDeviceToken(
  clientId: string,
  scopes: readonly string[],
  code: DeviceCode,
  now: () => number = Date.now,
): Promise<AccessToken> {
  const deadline = now() + code.expiresInSeconds * 1000;
  let intervalMs = Math.max(code.intervalSeconds * 1000, 100);
  for (;;) {
    const { status, body } = await postForm('token', {
      client_id: clientId,
      scopes: scopes.join(' '),
      device_code: code.deviceCode,
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    });
    const data = body as Record<string, unknown>;
    if (status === 200 && typeof data.access_token === 'string') {
      return {
        accessToken: data.access_token,
        refreshToken: typeof data.refresh_token === 'string' ? data.refresh_token : null,
        scope: Array.isArray(data.scope) ? (data.scope as string[]) : [],
        expiresIn: typeof data.expires_in === 'number' ? data.expires_in : null,
        obtainmentTimestamp: now(),
      };
    }
    const message = String((data as TwitchError).message ?? body);
    if (/slow_down/i.test(message)) intervalMs += 5000;
    else if (/denied/i.test(message)) {
      throw new AuthSetupError(
        'the authorization was denied on Twitch; run `eventsub-relay auth login --device` again and click "Authorize"',
      );
    } else if (/invalid device code|expired/i.test(message)) {
      throw new AuthSetupError(
        'the device code expired before it was used; run `eventsub-relay auth login --device` again and enter the new code sooner',
      );
    } else if (!/authorization_pending/i.test(message)) {
      throw new AuthSetupError(`Twitch answered the device-code poll with HTTP ${status}: ${message}`);
    }
    if (now() + intervalMs > deadline) {
      throw new AuthSetupError(
        'the device code expired before it was used; run `eventsub-relay auth login --device` again and enter the new code sooner',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
