// Reads eventsub-relay's nats sink through a durable JetStream consumer: it remembers its position
// across restarts, and JetStream already dropped re-sends (Nats-Msg-Id = Twitch message id).
//
//   node examples/nats-consumer.mjs [nats://127.0.0.1:4222] [stream=EVENTSUB] [durable=bots]
//
// Environment (credentials stay out of the URL, as in the sink config):
//   NATS_USER + NATS_PASS, or NATS_TOKEN, or NATS_CREDS (path of a .creds file, NATS accounts/JWT)
//
// Each message is acknowledged only after it is processed; one not acknowledged (a crash) is
// redelivered after the consumer's ack_wait (30 s by default).
import { readFileSync } from 'node:fs';
import { AckPolicy, connect, credsAuthenticator } from 'nats';

const [servers = 'nats://127.0.0.1:4222', stream = 'EVENTSUB', durable = 'bots'] = process.argv.slice(2);
const env = process.env;
const nc = await connect({
  servers,
  ...(env.NATS_USER && { user: env.NATS_USER, pass: env.NATS_PASS }),
  ...(env.NATS_TOKEN && { token: env.NATS_TOKEN }),
  ...(env.NATS_CREDS && { authenticator: credsAuthenticator(readFileSync(env.NATS_CREDS)) }),
});
const jsm = await nc.jetstreamManager();
try {
  await jsm.consumers.info(stream, durable); // exists: keep its position and settings
} catch (error) {
  if (error.code !== '404') throw error;
  await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit });
}
const consumer = await nc.jetstream().consumers.get(stream, durable);
// A redelivery of a message processed just before a crash (before its ack) is skipped; keep this in
// your database rather than in memory to skip it across restarts too.
const seen = new Set();

/** What this consumer does with one event: replace with your bot's logic. */
async function handle(subject, envelope) {
  console.log(`${subject} ${envelope.id} ${JSON.stringify(envelope.event)}`);
}

for await (const message of await consumer.consume()) {
  const id = message.headers?.get('Nats-Msg-Id');
  if (!seen.has(id)) await handle(message.subject, message.json());
  seen.add(id);
  message.ack(); // only after processing
}
