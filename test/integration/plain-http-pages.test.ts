import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestRelay } from '../support/in-process-relay.js';

/**
 * Pages opened over plain HTTP on a LAN (an OBS browser source on another PC) must not be told to
 * upgrade their assets to https: helmet's default CSP does, and the overlay then loads blank.
 */
describe('security headers on pages served over plain HTTP', () => {
  let relay: Awaited<ReturnType<typeof startTestRelay>>;
  beforeAll(async () => {
    relay = await startTestRelay();
  });
  afterAll(async () => {
    await relay.close();
  });

  it('sends a CSP without upgrade-insecure-requests for the overlay and other routes', async () => {
    for (const path of ['/overlay/', '/healthz', '/no-such-page']) {
      const res = await fetch(`http://127.0.0.1:${relay.port}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
  });

  it('keeps the same CSP on the /callback answers', async () => {
    const res = await fetch(`http://127.0.0.1:${relay.port}/callback`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('content-security-policy')).toContain("object-src 'none'");
  });
});
