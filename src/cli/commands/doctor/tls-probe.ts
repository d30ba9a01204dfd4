import { readFileSync } from 'node:fs';
import { connect, rootCertificates, type DetailedPeerCertificate } from 'node:tls';
import type { DoctorState } from './check.js';

/** PUBLIC_URL's host name, when PUBLIC_URL is set. */
export function publicName(state: DoctorState): string | undefined {
  const origin = state.config?.env.PUBLIC_URL;
  return origin ? new URL(origin).hostname : undefined;
}

/** Where the public checks connect: --connect-to for PUBLIC_URL's host:443, else its first A record. */
export function publicTarget(state: DoctorState): { host: string; port: number } | undefined {
  const name = publicName(state);
  const mapped = state.options.connectTo;
  if (name && mapped && mapped.name.toLowerCase() === name.toLowerCase() && mapped.port === 443)
    return mapped.to;
  const address = state.publicHost?.addresses[0];
  return address ? { host: address, port: 443 } : undefined;
}

/** The system's trusted roots, plus --ca's certificates. */
export function trustedCas(state: DoctorState): string[] {
  return state.options.ca
    ? [...rootCertificates, readFileSync(state.options.ca, 'utf8')]
    : [...rootCertificates];
}

/** What a TLS handshake showed: the protocol, the certificate chain as verified, and OpenSSL's verdict. */
export interface Handshake {
  protocol: string | null;
  certificate: DetailedPeerCertificate;
  authorizationError?: string;
}

/**
 * One TLS handshake with `servername` at `target`, verifying against `ca` but not failing on a bad
 * certificate (the checks explain what is wrong with it). Rejects with the connection error.
 */
export function handshake(
  target: { host: string; port: number },
  servername: string,
  ca: string[],
  timeoutMs: number,
): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.host,
      port: target.port,
      servername,
      ca,
      rejectUnauthorized: false,
    });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
    socket.once('secureConnect', () => {
      const result: Handshake = {
        protocol: socket.getProtocol(),
        certificate: socket.getPeerCertificate(true),
        ...(socket.authorizationError && {
          authorizationError: String(
            (socket.authorizationError as { code?: string }).code ?? socket.authorizationError,
          ),
        }),
      };
      socket.end();
      resolve(result);
    });
    socket.once('error', reject);
  });
}

/** The certificates the server sent, leaf first (the chain Node reports, stopping at a self-signed one). */
export function chainOf(certificate: DetailedPeerCertificate): DetailedPeerCertificate[] {
  const chain: DetailedPeerCertificate[] = [];
  let current: DetailedPeerCertificate | undefined = certificate;
  while (current && current.raw && !chain.includes(current)) {
    chain.push(current);
    if (current.issuerCertificate === current) break;
    current = current.issuerCertificate;
  }
  return chain;
}
