// Reads eventsub-relay's nats sink through a durable JetStream consumer: it remembers its position
// across restarts, and JetStream already dropped re-sends (Nats-Msg-Id = Twitch message id).
//   node examples/nats-consumer.mjs [nats://127.0.0.1:4222] [stream=EVENTSUB] [durable=bots]
import { AckPolicy, connect } from 'nats';

const [servers = 'nats://127.0.0.1:4222', stream = 'EVENTSUB', durable = 'bots'] = process.argv.slice(2);
const nc = await connect({ servers });
const jsm = await nc.jetstreamManager();
await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit });
const consumer = await nc.jetstream().consumers.get(stream, durable);

const messages = await consumer.consume();
for await (const message of messages) {
  const envelope = message.json();
  console.log(`${message.subject} ${message.headers?.get('Nats-Msg-Id')}`, envelope.event);
  message.ack(); // unacknowledged messages are redelivered after ack_wait
}
