// The soak's downstream consumer (a process of its own, restarted by the soak): verifies every
// Standard Webhooks request, fails FAIL_RATE of them with 500 at random, and appends the webhook-id
// of every request it accepts to DELIVERED_LOG *before* answering 204, so nothing it acknowledged
// is missed when it is stopped. Keeps no state in memory: it may run for hours.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const webhook = new Webhook(process.env.FORWARD_SECRET);
const failRate = Number(process.env.FAIL_RATE ?? 0.1);
const log = process.env.DELIVERED_LOG;

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      webhook.verify(Buffer.concat(chunks).toString('utf8'), req.headers);
    } catch {
      res.writeHead(401).end();
      return;
    }
    if (Math.random() < failRate) {
      res.writeHead(500).end();
      return;
    }
    appendFileSync(log, `${req.headers['webhook-id']}\n`);
    res.writeHead(204).end();
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
