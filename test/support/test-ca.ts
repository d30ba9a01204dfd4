import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate issued by the test CA, ready for nginx: the leaf, the leaf + intermediate, the key. */
export interface IssuedCert {
  /** Leaf only: what a misconfigured `ssl_certificate cert.pem` serves (chain incomplete). */
  cert: string;
  /** Leaf + intermediate, like certbot's live/<name>/fullchain.pem. */
  fullchain: string;
  key: string;
}

/** Validity of an issued leaf: days from now, or fixed dates in the past (an expired certificate). */
export type Validity = { days: number } | { start: string; end: string };

function openssl(args: string[], cwd?: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/**
 * A throwaway PKI made with the real openssl: a root (trusted by passing `root` as a CA file, e.g.
 * `eventsub-relay doctor --ca`), an intermediate, and leaves issued by the intermediate with
 * `openssl ca`, which can backdate them (a certificate that has expired).
 */
export function createTestCa(dir: string): {
  root: string;
  issue: (name: string, validity?: Validity, san?: string) => IssuedCert;
} {
  mkdirSync(join(dir, 'issued'), { recursive: true });
  const path = (file: string) => join(dir, file);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  writeFileSync(
    path('ca.cnf'),
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `database = ${path('index.txt')}`,
      `new_certs_dir = ${path('issued')}`,
      `serial = ${path('serial')}`,
      'default_md = sha256',
      'policy = any_name',
      'copy_extensions = copy',
      'unique_subject = no',
      'email_in_dn = no',
      '[any_name]',
      'commonName = supplied',
      '[intermediate]',
      'basicConstraints = critical, CA:true, pathlen:0',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid:always',
      '[leaf]',
      'basicConstraints = critical, CA:false',
      'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = serverAuth',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid:always',
      '',
    ].join('\n'),
  );
  writeFileSync(path('index.txt'), '');
  writeFileSync(path('serial'), '1000\n');
  openssl([
    'req',
    '-x509',
    ...ec,
    '-days',
    '30',
    '-subj',
    '/CN=eventsub-relay test root',
    '-addext',
    'basicConstraints=critical,CA:true',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    path('root.key'),
    '-out',
    path('root.pem'),
  ]);
  openssl([
    'req',
    '-new',
    ...ec,
    '-subj',
    '/CN=eventsub-relay test intermediate',
    '-keyout',
    path('int.key'),
    '-out',
    path('int.csr'),
  ]);
  openssl([
    'ca',
    '-config',
    path('ca.cnf'),
    '-batch',
    '-notext',
    '-days',
    '30',
    '-extensions',
    'intermediate',
    '-cert',
    path('root.pem'),
    '-keyfile',
    path('root.key'),
    '-in',
    path('int.csr'),
    '-out',
    path('int.pem'),
  ]);
  let issued = 0;
  return {
    root: path('root.pem'),
    issue(name, validity = { days: 60 }, san = `DNS:${name}`) {
      const base = path(`leaf-${++issued}`);
      openssl([
        'req',
        '-new',
        ...ec,
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=${san}`,
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
      ]);
      const dates =
        'days' in validity
          ? ['-days', String(validity.days)]
          : ['-startdate', validity.start, '-enddate', validity.end];
      openssl([
        'ca',
        '-config',
        path('ca.cnf'),
        '-batch',
        '-notext',
        ...dates,
        '-extensions',
        'leaf',
        '-cert',
        path('int.pem'),
        '-keyfile',
        path('int.key'),
        '-in',
        `${base}.csr`,
        '-out',
        `${base}.pem`,
      ]);
      writeFileSync(
        `${base}.full.pem`,
        readFileSync(`${base}.pem`, 'utf8') + readFileSync(path('int.pem'), 'utf8'),
      );
      return { cert: `${base}.pem`, fullchain: `${base}.full.pem`, key: `${base}.key` };
    },
  };
}
