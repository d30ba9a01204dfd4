import { checkServerIdentity, type DetailedPeerCertificate } from 'node:tls';
import { isLocalAddress } from './addresses.js';
import { callbackNeeded } from './callback-needed.js';
import { findings, type Check, type Finding } from './check.js';
import { messageOf } from './runner.js';
import { chainOf, handshake, publicName, publicTarget, trustedCas, type Handshake } from './tls-probe.js';

const RELOAD = 'then `sudo systemctl reload nginx`';
const DAY = 86_400_000;

/** Why a connection to the public address failed, and what to do: nginx here, or the way to here. */
export function unreachableAdvice(target: { host: string; port: number }, name: string): string {
  if (isLocalAddress(target.host)) {
    return 'start nginx: `sudo systemctl start nginx` (`sudo nginx -t` shows what is wrong with its config)';
  }
  return (
    `check that nginx runs here and the router forwards TCP 443 to this machine; if both are fine, this may be ` +
    `hairpin NAT (a router that cannot loop back to its own public address): test from outside, e.g. mobile data, ` +
    `or test nginx here with \`eventsub-relay doctor --connect-to ${name}:443:127.0.0.1:443\``
  );
}

/** TLS on PUBLIC_URL:443 as Twitch sees it: protocol, chain, name, expiry, each its own line. */
export const tlsCheck: Check = {
  id: 'tls',
  title: 'TLS',
  hard: true,
  async run(state) {
    const f = findings(tlsCheck);
    // No callback with TRANSPORT=websocket or a WebSocket conduit shard: the PUBLIC_URL line above says so.
    if (state.config && !callbackNeeded(state.config.env)) return [];
    const name = publicName(state);
    const target = publicTarget(state);
    if (!name || !target) return [f.skip('needs PUBLIC_URL to resolve (see above)')];
    const where = `${name} at ${target.host}:${target.port}`;
    let shown: Handshake;
    try {
      shown = await handshake(target, name, trustedCas(state), state.options.timeoutMs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME' || /unrecognized name/i.test(messageOf(error))) {
        return [
          f.fail(
            `${where} refused the TLS handshake for ${name}: the server there has no site for that name`,
            `nginx's server_name must be ${name} (deploy/install.sh --domain ${name} sets it), ${RELOAD}`,
            { id: 'handshake', title: 'TLS handshake' },
          ),
        ];
      }
      const what = code === 'ECONNREFUSED' ? 'nothing listens there' : messageOf(error);
      return [
        f.fail(`cannot connect to ${where}: ${what}`, unreachableAdvice(target, name), {
          id: 'handshake',
          title: 'TLS handshake',
        }),
      ];
    }
    return [
      protocolFinding(f, shown, where),
      chainFinding(f, shown),
      nameFinding(f, shown, name),
      expiryFinding(f, shown),
    ];
  },
};

type F = ReturnType<typeof findings>;

function protocolFinding(f: F, shown: Handshake, where: string): Finding {
  const part = { id: 'handshake', title: 'TLS handshake' };
  if (shown.protocol === 'TLSv1.2' || shown.protocol === 'TLSv1.3')
    return f.ok(`${shown.protocol} with ${where}`, undefined, part);
  return f.fail(
    `${where} negotiated ${shown.protocol ?? 'an unknown protocol'}; Twitch needs TLS 1.2 or later`,
    `set \`ssl_protocols TLSv1.2 TLSv1.3;\` in the nginx site, ${RELOAD}`,
    part,
  );
}

const names = (certificate: DetailedPeerCertificate) =>
  certificate.subjectaltname?.replace(/DNS:/g, '') || certificate.subject?.CN || '(no name)';

function chainFinding(f: F, shown: Handshake): Finding {
  const part = { id: 'chain', title: 'TLS certificate chain' };
  const chain = chainOf(shown.certificate);
  const path = chain.map((c) => c.subject?.CN ?? '?').join(' ← ');
  switch (shown.authorizationError) {
    case undefined:
    case 'ERR_TLS_CERT_ALTNAME_INVALID': // the name line says so
    case 'CERT_HAS_EXPIRED': // the expiry line says so
    case 'CERT_NOT_YET_VALID':
      return f.ok(`complete and trusted: ${path}`, undefined, part);
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return chain.length === 1
        ? f.fail(
            `incomplete: the server sends its certificate without the intermediate that links it to a trusted root (issuer ${shown.certificate.issuer?.CN ?? '?'})`,
            `point ssl_certificate at fullchain.pem (certbot's live/<name>/fullchain.pem), not cert.pem, ${RELOAD}`,
            part,
          )
        : f.fail(
            `not trusted: ${path}`,
            'use a certificate from a public CA such as Let’s Encrypt (certbot: docs/deploy.md)',
            part,
          );
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return f.fail(
        `self-signed (${path}): Twitch accepts only certificates from a public CA`,
        'get one with certbot (deploy/install.sh does: docs/deploy.md)',
        part,
      );
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return f.fail(
        `issued by ${chain.at(-1)?.issuer?.CN ?? '?'}, which no trusted CA vouches for (${path})`,
        'use a certificate from a public CA such as Let’s Encrypt (certbot: docs/deploy.md)',
        part,
      );
    default:
      return f.fail(
        `not trusted (${shown.authorizationError}): ${path}`,
        'use a valid certificate from a public CA (certbot: docs/deploy.md)',
        part,
      );
  }
}

function nameFinding(f: F, shown: Handshake, name: string): Finding {
  const part = { id: 'name', title: 'TLS certificate name' };
  const mismatch = checkServerIdentity(name, shown.certificate);
  if (!mismatch) return f.ok(`covers ${name}`, undefined, part);
  return f.fail(
    `is for ${names(shown.certificate)}, not ${name}`,
    `get one for ${name}: \`sudo certbot certonly --webroot -w /var/www/eventsub-acme -d ${name}\` (or re-run deploy/install.sh --domain ${name}), ${RELOAD}`,
    part,
  );
}

function expiryFinding(f: F, shown: Handshake, now = Date.now()): Finding {
  const part = { id: 'expiry', title: 'TLS certificate expiry' };
  const notAfter = new Date(shown.certificate.valid_to);
  const notBefore = new Date(shown.certificate.valid_from);
  const days = Math.floor((notAfter.getTime() - now) / DAY);
  const date = notAfter.toISOString().slice(0, 10);
  if (notBefore.getTime() > now) {
    return f.fail(
      `not valid before ${notBefore.toISOString()}`,
      'check this host’s clock (`timedatectl`) or the certificate',
      part,
    );
  }
  if (days < 0) {
    return f.fail(
      `expired on ${date} (${-days} ${days === -1 ? 'day' : 'days'} ago): Twitch refuses it`,
      `renew it: \`sudo certbot renew\`, ${RELOAD} (\`systemctl list-timers certbot.timer\` shows whether renewals run)`,
      part,
    );
  }
  if (days < 14) {
    return f.warn(
      `expires on ${date}, in ${days} ${days === 1 ? 'day' : 'days'}: certbot renews 30 days ahead, so renewal is failing`,
      '`sudo certbot renew --dry-run` shows why; the timer is `certbot.timer`',
      part,
    );
  }
  return f.ok(`valid until ${date} (${days} days)`, undefined, part);
}
