#!/usr/bin/env node
// Run: FORWARD_SECRET=$(cat data/forward-secret) node examples/consumer/server.mjs
// then start the relay with FORWARD_URL=http://127.0.0.1:9000/hook.
import { startConsumer } from './consumer.mjs';

const secret = process.env.FORWARD_SECRET;
if (!secret) {
  console.error("Set FORWARD_SECRET to the relay's secret (the relay writes it to DATA_DIR/forward-secret).");
  process.exit(2);
}
const consumer = await startConsumer({
  secret,
  port: Number(process.env.CONSUMER_PORT ?? 9000),
  onEvent: (envelope) =>
    console.log(`${envelope.messageType} ${envelope.type} ${envelope.id}`, JSON.stringify(envelope.event)),
  onReject: (reason) => console.error(reason),
});
console.log(`consumer listening on ${consumer.url}`);
process.on('SIGTERM', () => consumer.close().then(() => process.exit(0)));
process.on('SIGINT', () => consumer.close().then(() => process.exit(0)));
