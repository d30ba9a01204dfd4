import helmet from 'helmet';

/**
 * helmet with its defaults except one: no `upgrade-insecure-requests` in the CSP. Pages the relay
 * serves (the OBS overlay, the dashboard) are opened over plain HTTP on a LAN
 * (`http://streampc.lan:8080/overlay/`); with that directive the browser rewrites every asset to
 * https://, the fetch fails and the page stays blank. Behind nginx with TLS nothing changes: the
 * assets are same-origin https already.
 */
export function relayHelmet(): ReturnType<typeof helmet> {
  return helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
}
