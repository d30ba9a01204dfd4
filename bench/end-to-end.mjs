// The relay with an http sink forwarding to a local consumer (the shipped example consumer, which
// verifies every Standard Webhooks signature): throughput while forwarding, time to drain what was
// acknowledged, and POST → consumer latency at a steady rate below saturation.
import { measure, paced } from './load.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Waits until the consumer's count stops moving (or `limitMs`); returns the last report and the time it took. */
async function drain(consumer, limitMs) {
  const started = Date.now();
  let report = await consumer.ask('report');
  for (let last = -1; report.received !== last && Date.now() - started < limitMs;) {
    last = report.received;
    await sleep(500);
    report = await consumer.ask('report');
  }
  return { report, seconds: (Date.now() - started) / 1000 - 0.5 }; // the last half second only confirmed it stopped
}

/** Runs the forwarding measurement against a started relay + consumer pair. */
export async function endToEnd(relay, consumer, settings) {
  const result = await measure(relay, '/callback', settings);
  process.stderr.write(
    `  eventsub-relay + http sink: ${Math.round(result.requestsPerSecond)} req/s; draining…\n`,
  );
  const drained = await drain(consumer, 180_000);

  await consumer.ask('reset');
  const sentPaced = await paced(relay, '/callback', {
    rate: settings.pacedRate,
    seconds: settings.pacedSeconds,
  });
  await drain(consumer, 10_000);
  const sorted = (await consumer.ask('latencies')).sort((a, b) => a - b);
  return {
    result,
    endToEnd: {
      acknowledged: result.completed,
      received: drained.report.received,
      rejected: drained.report.rejected,
      drainSeconds: drained.seconds,
      paced: sentPaced,
      pacedRate: settings.pacedRate,
      pacedReceived: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    },
  };
}
