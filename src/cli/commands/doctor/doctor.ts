import { InvalidArgumentError, type Command } from 'commander';
import { cliEnvironment } from '../../environment.js';
import { existsSync } from 'node:fs';
import { JSON_HELP } from '../../cli-notes.js';
import type { ConnectTo, DoctorOptions, DoctorState } from './check.js';
import { formatJson, formatReport } from './printer.js';
import { exitCodeOf, runChecks } from './runner.js';

/** curl's --connect-to syntax: HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT (IPv6 in brackets). */
export function parseConnectTo(value: string): { name: string; port: number; to: ConnectTo } {
  const match = /^([^:[\]]+):(\d+):(\[[^\]]+\]|[^:[\]]+):(\d+)$/.exec(value);
  if (!match) {
    throw new InvalidArgumentError(
      'must be HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT, e.g. relay.example.net:443:127.0.0.1:443',
    );
  }
  return {
    name: match[1]!,
    port: Number(match[2]),
    to: { host: match[3]!.replace(/^\[|\]$/g, ''), port: Number(match[4]) },
  };
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 100 || ms > 120_000)
    throw new InvalidArgumentError('must be milliseconds from 100 to 120000, e.g. --timeout 5000');
  return ms;
}

function parseCaFile(value: string): string {
  if (!existsSync(value))
    throw new InvalidArgumentError(`${value} does not exist (a PEM file of CA certificates)`);
  return value;
}

interface DoctorFlags {
  json?: boolean;
  ca?: string;
  connectTo?: ReturnType<typeof parseConnectTo>;
  dnsServer?: string;
  timeout: number;
}

/** `eventsub-relay doctor`: every hop from Twitch to the sinks, ✔/✗ with the fix for each ✗. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check every hop from Twitch to your sinks (config, store, secret, Twitch app and tokens, DNS, TLS, ' +
        'a signed challenge through PUBLIC_URL, Twitch’s subscription statuses, sinks, deliveries; with TRANSPORT=websocket ' +
        'the user token and subscriptions each session needs and EVENTSUB_WS_URL instead); exit 0 only when all pass',
    )
    .option('--json', JSON_HELP)
    .option(
      '--ca <file>',
      'also trust the CA certificates in this PEM file for the TLS check (e.g. a test or company CA)',
      parseCaFile,
    )
    .option(
      '--connect-to <host:port:address:port>',
      "connect there instead of PUBLIC_URL's host:443 for the TLS and challenge checks (as curl's --connect-to), e.g. relay.example.net:443:127.0.0.1:443 to test this host's nginx past hairpin NAT",
      parseConnectTo,
    )
    .option(
      '--dns-server <address[:port]>',
      "ask this DNS server for PUBLIC_URL's A record instead of the system's",
    )
    .option('--timeout <ms>', 'how long each network check waits', parseTimeout, 5000)
    .addHelpText(
      'after',
      '\nNothing is created or changed: doctor reads the configuration the relay would use (.env, DATA_DIR, STORE_URL,\n' +
        'CONFIG_FILE), calls Twitch with the app token, and sends one signed challenge to the relay and one through\n' +
        'PUBLIC_URL (answered like Twitch’s, stored nowhere); with TRANSPORT=websocket it opens one session at\n' +
        'EVENTSUB_WS_URL instead and closes it at its welcome, unused. Run it as the service does: `sudo eventsub-relay doctor`.',
    )
    .action(async (flags: DoctorFlags) => {
      const options: DoctorOptions = {
        timeoutMs: flags.timeout,
        ...(flags.ca && { ca: flags.ca }),
        ...(flags.connectTo && { connectTo: flags.connectTo }),
        ...(flags.dnsServer && { dnsServer: flags.dnsServer }),
      };
      const state: DoctorState = { options };
      let report;
      try {
        // Loaded here: the checks bring the sink kinds and Twitch clients that other commands do not need.
        const { allChecks } = await import('./checks.js');
        report = await runChecks(allChecks(cliEnvironment()), state, flags.timeout * 4);
      } finally {
        await state.store?.close();
      }
      process.stdout.write(flags.json ? formatJson(report) : formatReport(report));
      process.exitCode = exitCodeOf(report);
    });
}
