import { twitchMockApiPort } from '../config/test-hooks.js';

/**
 * URL of an id.twitch.tv OAuth endpoint (`token`, `device`, `validate`, `authorize`, `revoke`).
 * Like @twurple/api-call, `TWURPLE_MOCK_API_PORT` points it at a local fake
 * (`http://localhost:<port>/auth/<endpoint>`), read per call so tests can change it.
 */
export function twitchIdUrl(endpoint: string): string {
  const mockPort = twitchMockApiPort();
  return mockPort
    ? `http://localhost:${mockPort}/auth/${endpoint}`
    : `https://id.twitch.tv/oauth2/${endpoint}`;
}
