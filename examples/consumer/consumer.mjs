// A downstream consumer of eventsub-relay's http sink: verifies every request with the
// `standardwebhooks` package and processes each event once (webhook-id = Twitch's message id).
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

/**
 * Starts the consumer.
 * @param {object} options
 * @param {string} options.secret  the relay's FORWARD_SECRET (whsec_…)
 * @param {number} [options.port]  0 = any free port
 * @param {(envelope: object) => void | Promise<void>} [options.onEvent]  called once per new event
 * @param {(envelope: object) => number | undefined} [options.respond]  override the status (tests: 500, 410…)
 * @returns {Promise<{ url: string, received: object[], deliveries: { id: string, status: number }[],
 *   acknowledged: Record<string, number>, rejected: number, close: () => Promise<void> }>}
 */
export async function startConsumer({ secret, port = 0, host = '127.0.0.1', onEvent, respond }) {
  const webhook = new Webhook(secret);
  const seen = new Set();
  // received: first copies only (what the application processes). deliveries / acknowledged: every
  // verified request, duplicates included, so a test can see what the relay really sent.
  const state = { received: [], deliveries: [], acknowledged: {}, rejected: 0 };

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
      } catch {
        state.rejected++;
        res.writeHead(401).end();
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
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
