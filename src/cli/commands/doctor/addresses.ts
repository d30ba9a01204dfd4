import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';

/** What kind of IPv4 address this is, as far as reaching it from the internet goes. */
export type AddressKind =
  | 'public'
  | 'private'
  | 'carrier-grade NAT'
  | 'loopback'
  | 'link-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

const RANGES: Array<[prefix: string, bits: number, kind: AddressKind]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const toNumber = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** RFC 1918, RFC 6598 (carrier-grade NAT), loopback, link-local… or public. */
export function addressKind(ip: string): AddressKind {
  const value = toNumber(ip);
  for (const [prefix, bits, kind] of RANGES) {
    const size = 2 ** (32 - bits);
    if (Math.floor(value / size) === Math.floor(toNumber(prefix) / size)) return kind;
  }
  return 'public';
}

/** This host's IPv4 addresses other than loopback, with their interface names. */
export function hostAddresses(): Array<{ address: string; interface: string }> {
  return Object.entries(networkInterfaces()).flatMap(([name, list]) =>
    (list ?? [])
      .filter((entry) => entry.family === 'IPv4' && !entry.internal)
      .map((entry) => ({ address: entry.address, interface: name })),
  );
}

/** True for an address this host answers on itself: loopback, or one of its interfaces'. */
export function isLocalAddress(ip: string): boolean {
  if (!isIPv4(ip)) return ip === '::1' || ip === 'localhost';
  return addressKind(ip) === 'loopback' || hostAddresses().some((entry) => entry.address === ip);
}
