// Reads eventsub-relay's redis-stream sink with a consumer group: run several copies and each event
// goes to one of them. The relay delivers at least once, so skip ids already processed.
//   node examples/redis-consumer.mjs [redis://127.0.0.1:6379] [stream=eventsub] [group=bots] [consumer=$HOSTNAME]
import { Redis } from 'ioredis';

const [
  url = 'redis://127.0.0.1:6379',
  stream = 'eventsub',
  group = 'bots',
  consumer = process.env.HOSTNAME ?? 'c1',
] = process.argv.slice(2);
const redis = new Redis(url);
const seen = new Set(); // use a Redis SET or your database in production

try {
  await redis.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
} catch (error) {
  if (!String(error).includes('BUSYGROUP')) throw error; // the group exists already: fine
}

for (;;) {
  // '>' = entries never delivered to this group; BLOCK waits up to 5 s for new ones.
  const reply = await redis.xreadgroup(
    'GROUP',
    group,
    consumer,
    'COUNT',
    100,
    'BLOCK',
    5000,
    'STREAMS',
    stream,
    '>',
  );
  for (const [entryId, flat] of reply?.[0]?.[1] ?? []) {
    const fields = Object.fromEntries(flat.flatMap((value, i) => (i % 2 ? [] : [[value, flat[i + 1]]])));
    if (!seen.has(fields.id)) {
      seen.add(fields.id);
      const envelope = JSON.parse(fields.envelope);
      console.log(`${envelope.type} ${envelope.id}`, envelope.event);
    }
    await redis.xack(stream, group, entryId);
  }
}
