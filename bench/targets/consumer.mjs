// Downstream consumer for the forwarding run: the shipped example consumer (verifies every
// Standard Webhooks signature), recording POST → received latency from the Twitch timestamp (signed at send time).
import { startConsumer } from '../../examples/consumer/consumer.mjs';

const latencies = [];
const consumer = await startConsumer({
  secret: process.env.FORWARD_SECRET,
  port: Number(process.env.PORT),
  onEvent: (envelope) => latencies.push(Date.now() - Date.parse(envelope.timestamp)),
});
process.send?.('ready');
process.on('message', (message) => {
  if (message === 'report')
    process.send?.({ received: consumer.received.length, rejected: consumer.rejected });
  if (message === 'latencies') process.send?.(latencies);
  if (message === 'reset') {
    // Latency of the paced run only: forget what the saturating run left behind.
    latencies.length = 0;
    process.send?.('reset');
  }
});
