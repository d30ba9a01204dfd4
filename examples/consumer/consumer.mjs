// A downstream consumer of eventsub-relay's http sink: verifies every request with the
// `standardwebhooks` package and processes each event once (webhook-id = Twitch's message id).
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

/**
 * Why standardwebhooks refused a request, in words a person can act on: the headers are missing
 * (not from the relay?), the clock is off, or, the usual case, the secrets differ.
 */
function rejectionReason(error, headers) {
  const message = error instanceof Error ? error.message : String(error);
  if (!headers['webhook-id'] || !headers['webhook-signature'] || !headers['webhook-timestamp'])
    return `${message} (webhook-id/-timestamp/-signature missing: is this request from eventsub-relay?)`;
  if (/timestamp/i.test(message))
    return `${message} (the clocks of the relay and this consumer differ by more than 5 minutes: check both with timedatectl)`;
  return (
    `${message}: the signature was made with another secret than FORWARD_SECRET here; ` +
    "give this consumer the relay's secret (DATA_DIR/forward-secret, or the relay's FORWARD_SECRET)"
  );
}

/**
 * Starts the consumer.
 * @param {object} options
 * @param {string} options.secret  the relay's FORWARD_SECRET (whsec_…)
 * @param {number} [options.port]  0 = any free port
 * @param {(envelope: object) => void | Promise<void>} [options.onEvent]  called once per new event
 * @param {(envelope: object) => number | undefined} [options.respond]  override the status (tests: 500, 410…)
 * @param {(reason: string) => void} [options.onReject]  told why a request failed verification (answered 401)
 * @returns {Promise<{ url: string, received: object[], deliveries: { id: string, status: number }[],
 *   acknowledged: Record<string, number>, rejected: number, close: () => Promise<void> }>}
 */
export async function startConsumer({ secret, port = 0, host = '127.0.0.1', onEvent, respond, onReject }) {
  const webhook = new Webhook(secret);
  const seen = new Set();
  // received: first copies only (what the application processes). deliveries / acknowledged: every
  // verified request, duplicates included, so a test can see what the relay really sent.
  const state = { received: [], deliveries: [], acknowledged: {}, rejected: 0, rejections: [] };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = req.headers['webhook-id'];
      let envelope;
      try {
        // Throws unless webhook-signature matches and webhook-timestamp is within 5 minutes.
        envelope = webhook.verify(body, req.headers);
      } catch (error) {
        // Say why, here and in the answer (the relay keeps the first 1 KiB of it with the attempt).
        const reason = `rejected delivery ${id ?? '(no webhook-id)'}: ${rejectionReason(error, req.headers)}`;
        state.rejected++;
        state.rejections.push(reason);
        onReject?.(reason);
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end(`${reason}\n`);
        return;
      }
      const override = respond?.(envelope);
      if (override !== undefined && override !== 200 && override !== 204) {
        state.deliveries.push({ id, status: override });
        res.writeHead(override, override === 429 || override === 503 ? { 'Retry-After': '1' } : {}).end();
        return;
      }
      // The relay delivers at least once: skip what we already processed.
      if (!seen.has(id)) {
        seen.add(id);
        state.received.push(envelope);
        await onEvent?.(envelope);
      }
      state.deliveries.push({ id, status: 204 });
      state.acknowledged[id] = (state.acknowledged[id] ?? 0) + 1;
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const { port: actualPort } = server.address();
  return {
    url: `http://${host}:${actualPort}/hook`,
    /** Each event once (the first verified copy), in arrival order. */
    get received() {
      return state.received;
    },
    /** Every verified request, duplicates included, with the status this consumer answered. */
    get deliveries() {
      return state.deliveries;
    },
    /** webhook-id → how many times this consumer answered it 2xx (1 each when nothing was re-sent). */
    get acknowledged() {
      return state.acknowledged;
    },
    /** Requests that failed signature verification (answered 401). */
    get rejected() {
      return state.rejected;
    },
    /** Why each of them was rejected, in words. */
    get rejections() {
      return state.rejections;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
