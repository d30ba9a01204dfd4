// Formats one bench run as markdown: the throughput table, the ratios, end-to-end latency and
// store growth. Figures only; nothing here passes or fails.
import { cpus } from 'node:os';

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '-';
const ratio = (a, b) => fmt(a / b, 2);

function machine() {
  const cores = cpus();
  return `${cores.length} cores (${cores[0]?.model?.trim() ?? 'unknown CPU'}), Node ${process.version}`;
}

/** The whole report, given every measurement of the run. */
export function formatReport({
  started,
  quick,
  settings,
  targets,
  rounds,
  disk,
  endToEnd,
  growth,
  durableMode,
}) {
  const [relay, relayForward, anchor, express, floor] = targets;
  const out = [];
  out.push('# eventsub-relay benchmark', '');
  out.push(
    `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${machine()} · ${quick ? '`--quick`' : 'full run'}: ` +
      `autocannon, ${settings.connections} connections, ${settings.seconds} s per target after ${settings.warmupSeconds} s warm-up. ` +
      'Every request is a distinct, freshly signed channel.follow v2 notification with all Twitch headers. ' +
      'Each target runs in its own process on 127.0.0.1; the load generator shares the machine.',
    '',
  );
  out.push('| target | req/s | p50 ms | p99 ms | p99.9 ms | non-2xx | server CPU µs/req | peak RSS MiB |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const t of targets) {
    out.push(
      `| ${t.label} | ${fmt(t.requestsPerSecond)} | ${t.p50} | ${t.p99} | ${t.p999} | ${t.non2xx} | ${fmt(t.cpuMicrosPerRequest)} | ${fmt(t.peakRssMiB)} |`,
    );
  }
  out.push('', '**Ratios (throughput, same run)**', '');
  out.push(
    `- relay / twurple: **${ratio(relay.requestsPerSecond, anchor.requestsPerSecond)}** (median of ${rounds.length} back-to-back pairs: ` +
      rounds
        .map(
          (pair) =>
            `${fmt(pair.relay.requestsPerSecond)} / ${fmt(pair.twurple.requestsPerSecond)} = ${ratio(pair.relay.requestsPerSecond, pair.twurple.requestsPerSecond)}`,
        )
        .join('; ') +
      `); p99 ${relay.p99} ms vs ${anchor.p99} ms; relay CPU ${fmt(relay.cpuMicrosPerRequest)} µs per request vs ${fmt(anchor.cpuMicrosPerRequest)}`,
  );
  out.push(`- relay / bare express + HMAC: **${ratio(relay.requestsPerSecond, express.requestsPerSecond)}**`);
  out.push(
    `- relay with http sink / relay without: **${ratio(relayForward.requestsPerSecond, relay.requestsPerSecond)}**`,
  );
  out.push(
    `- bare express + HMAC / bare node:http: ${ratio(express.requestsPerSecond, floor.requestsPerSecond)}`,
  );
  out.push(`- durability: ${durableMode}`);

  out.push('', '**Disk cost (the relay as shipped: SQLite, log sink)**', '');
  out.push(
    `- ${fmt(disk.bytesPerEvent)} bytes written to storage per event (/proc/<pid>/io write_bytes over ${fmt(disk.events)} ` +
      `events, WAL and checkpoints included: ${fmt(disk.megabytesWritten, 1)} MB in all; ${disk.failed} failed)`,
  );

  out.push('', '**End to end (POST to /callback → the consumer verified and received it)**', '');
  out.push(
    `- the saturating run acknowledged ${fmt(endToEnd.acknowledged)} events (plus warm-up); the consumer received ${fmt(endToEnd.received)}, ` +
      `${endToEnd.rejected} failed verification; the backlog drained ${fmt(endToEnd.drainSeconds, 1)} s after the load stopped.`,
    `- at a steady ${endToEnd.pacedRate} notifications/s: ${fmt(endToEnd.pacedReceived)} of ${fmt(endToEnd.paced)} received; ` +
      `POST → consumer latency p50 **${endToEnd.p50} ms**, p99 **${endToEnd.p99} ms**.`,
  );

  out.push('', '**Store growth (the relay as shipped: SQLite, log sink; one process kept running)**', '');
  out.push(
    '| stored events | insert rate (req/s, window ending here) | relay RSS MiB | V8 heap used / reserved MiB | external MiB | non-2xx |',
    '|---:|---:|---:|---:|---:|---:|',
  );
  for (const row of growth)
    out.push(
      `| ${fmt(row.events)} | ${fmt(row.insertsPerSecond)} | ${fmt(row.rssMiB)} | ` +
        `${fmt(row.heapUsedMiB)} / ${fmt(row.heapTotalMiB)} | ${fmt(row.externalMiB)} | ${row.failed} |`,
    );
  const first = growth[1];
  const last = growth[growth.length - 1];
  out.push(
    '',
    `RSS at ${fmt(last.events)} events − RSS at ${fmt(first.events)}: **${fmt(last.rssMiB - first.rssMiB, 1)} MiB**; ` +
      `insert rate last window / first window: **${ratio(last.insertsPerSecond, first.insertsPerSecond)}**. ` +
      `Of that growth, V8's reserved heap: ${fmt(last.heapTotalMiB - first.heapTotalMiB, 1)} MiB; ` +
      `external memory (ArrayBuffers, mostly the in-memory message-id index): ${fmt(last.externalMiB - first.externalMiB, 1)} MiB; ` +
      `the rest is native (SQLite, malloc). RSS between checkpoints of this one run spans ` +
      `${fmt(Math.min(...growth.slice(1).map((row) => row.rssMiB)))}–${fmt(Math.max(...growth.slice(1).map((row) => row.rssMiB)))} MiB.`,
  );
  return out.join('\n') + '\n';
}
