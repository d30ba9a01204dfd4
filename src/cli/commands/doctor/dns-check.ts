import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressKind, hostAddresses } from './addresses.js';
import { callbackNeeded } from './callback-needed.js';
import { findings, type Check } from './check.js';
import { messageOf } from './runner.js';

/** With TRANSPORT=websocket or conduit (WebSocket shard) the relay dials out to Twitch: nothing public to check. */
const outboundOnly = (transport: string) =>
  `not needed: with TRANSPORT=${transport} the relay connects out to Twitch (no public address, TLS or callback)`;

const DNS_FIX =
  'create an A record for it holding your public IPv4 address (ddclient keeps it current on a home connection: docs/deploy.md)';

/** PUBLIC_URL: https on 443, its name resolves (A), to an address Twitch can reach, ideally this host's. */
export const dnsCheck: Check = {
  id: 'public-url',
  title: 'PUBLIC_URL',
  hard: true,
  async run(state) {
    const f = findings(dnsCheck);
    const config = state.config;
    if (!config) return [f.skip('needs a valid configuration')];
    if (!callbackNeeded(config.env)) return [f.ok(outboundOnly(config.env.TRANSPORT))];
    const origin = config.env.PUBLIC_URL;
    if (!origin) {
      return [
        f.fail(
          'not set: nothing tells Twitch (or this check) where the relay is reachable',
          'set PUBLIC_URL=https://<your name> (the callback is PUBLIC_URL/callback); deploy nginx with TLS first: docs/deploy.md',
        ),
      ];
    }
    const url = new URL(origin);
    if (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443')) {
      return [
        f.fail(
          `${origin} is not https on port 443, the only callback Twitch calls`,
          'put nginx with TLS on 443 in front and set PUBLIC_URL=https://<your name>',
        ),
      ];
    }
    const name = url.hostname;
    const mapped = state.options.connectTo;
    const through =
      mapped && mapped.name.toLowerCase() === name.toLowerCase() && mapped.port === 443
        ? `; the checks below connect to ${mapped.to.host}:${mapped.to.port} instead (--connect-to)`
        : '';
    let addresses: string[];
    if (isIP(name)) {
      addresses = [name];
    } else {
      const resolver = new Resolver({ timeout: state.options.timeoutMs, tries: 2 });
      if (state.options.dnsServer) resolver.setServers([state.options.dnsServer]);
      try {
        addresses = await resolver.resolve4(name);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTFOUND' || code === 'ENODATA')
          return [f.fail(`${name} has no A record (DNS answered ${code})`, DNS_FIX)];
        return [
          f.fail(
            `cannot ask DNS for ${name}'s A record (${messageOf(error)})`,
            'check this host’s DNS (/etc/resolv.conf) and network',
          ),
        ];
      }
    }
    state.publicHost = { name, addresses };
    const unreachable = addresses.filter((address) => addressKind(address) !== 'public');
    if (unreachable.length > 0) {
      const kinds = unreachable.map((address) => `${address} (${addressKind(address)})`).join(', ');
      return [
        f.fail(
          `${name} resolves to ${kinds}: Twitch cannot reach that from the internet`,
          `the A record must hold your public IPv4 address instead; ${DNS_FIX}`,
        ),
      ];
    }
    const own = hostAddresses();
    const mine = own.filter((entry) => addresses.includes(entry.address));
    const resolved = `${name} resolves to ${addresses.join(', ')}`;
    if (mine.length > 0) {
      return [
        f.ok(`${resolved}, this host's address (${mine.map((m) => m.interface).join(', ')})${through}`),
      ];
    }
    const publicOwn = own.filter((entry) => addressKind(entry.address) === 'public');
    if (publicOwn.length > 0) {
      return [
        f.warn(
          `${resolved}, which is not one of this host's public addresses (${publicOwn.map((e) => e.address).join(', ')})${through}`,
          'unless a router, load balancer or 1:1 NAT in front forwards that address here, point the A record at this host (ddclient: docs/deploy.md)',
        ),
      ];
    }
    const privateOwn = own.map((e) => e.address).join(', ') || 'none';
    return [
      f.ok(
        `${resolved}; whether that is this network's address cannot be told from here (this host has only private addresses: ${privateOwn}, so it is behind NAT: the router must forward TCP 443 to it)${through}`,
      ),
    ];
  },
};
