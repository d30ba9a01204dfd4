// Reads eventsub-relay's redis-stream sink with a consumer group: run several copies (each with its
// own consumer name) and each entry goes to one of them.
//
//   node examples/redis-consumer.mjs [redis://127.0.0.1:6379] [stream=eventsub] [group=bots] [consumer=$HOSTNAME]
//
// Environment (credentials stay out of the URL, as in the sink config):
//   REDIS_USERNAME, REDIS_PASSWORD  ACL user / password (or requirepass) of the Redis server
//   GROUP_START_ID   where a new group starts reading: 0 (default) = the whole stream, $ = only new entries
//   CLAIM_IDLE_MS    take over entries another consumer read but left unacknowledged this long (default 60000)
//   SEEN_TTL_SECONDS how long processed ids are remembered for deduplication (default 604800 = 7 days)
// --exit-after-read N  crash test: read up to N entries, then exit 3 without processing or acking them.
//
// Crash-safe: an entry is acknowledged only after it is processed; at start this consumer first
// re-reads its own pending entries (read before a crash, never acknowledged), then new ones. The
// relay delivers at least once (after a relay crash an event may be added twice), so ids already
// processed are skipped; they are remembered in Redis, so that holds across restarts and consumers.
import { Redis } from 'ioredis';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'exit-after-read': { type: 'string' } },
});
const [
  url = 'redis://127.0.0.1:6379',
  stream = 'eventsub',
  group = 'bots',
  consumer = process.env.HOSTNAME ?? 'c1',
] = positionals;
const env = process.env;
const redis = new Redis(url, {
  ...(env.REDIS_USERNAME && { username: env.REDIS_USERNAME }),
  ...(env.REDIS_PASSWORD && { password: env.REDIS_PASSWORD }),
});
const claimIdleMs = Number(env.CLAIM_IDLE_MS ?? 60_000);
const seenTtlSeconds = Number(env.SEEN_TTL_SECONDS ?? 7 * 24 * 3600);
const exitAfterRead = values['exit-after-read'] === undefined ? undefined : Number(values['exit-after-read']);
const seenKey = (id) => `${stream}:${group}:seen:${id}`;

/** What this consumer does with one event: replace with your bot's logic. */
async function handle(envelope) {
  console.log(`${envelope.type} ${envelope.id} ${JSON.stringify(envelope.event)}`);
}

/** Processes one entry unless its id was processed before, then acknowledges it (never earlier). */
async function processEntry(entryId, flat) {
  // A pending entry that MAXLEN trimming removed has no fields any more: nothing to process.
  if (!flat) return void (await redis.xack(stream, group, entryId));
  const fields = Object.fromEntries(flat.flatMap((value, i) => (i % 2 ? [] : [[value, flat[i + 1]]])));
  if (await redis.exists(seenKey(fields.id))) {
    console.error(`skipped duplicate ${fields.id} (entry ${entryId})`);
  } else {
    await handle(JSON.parse(fields.envelope));
  }
  // A crash before this line: the entry stays pending and is re-read at the next start.
  await redis.multi().set(seenKey(fields.id), '1', 'EX', seenTtlSeconds).xack(stream, group, entryId).exec();
}

/** XREADGROUP from `id`: '0' = this consumer's pending entries, '>' = entries no one has read yet. */
async function read(id, block) {
  const reply = await redis.xreadgroup(
    'GROUP',
    group,
    consumer,
    'COUNT',
    exitAfterRead ?? 100,
    ...(block ? ['BLOCK', 5000] : []),
    'STREAMS',
    stream,
    id,
  );
  const entries = reply?.[0]?.[1] ?? [];
  if (exitAfterRead !== undefined && entries.length > 0) {
    console.error(`read ${entries.length} entries; exiting without acknowledging them (--exit-after-read)`);
    process.exit(3);
  }
  return entries;
}

try {
  await redis.xgroup('CREATE', stream, group, env.GROUP_START_ID ?? '0', 'MKSTREAM');
} catch (error) {
  if (!String(error).includes('BUSYGROUP')) throw error; // the group exists already: fine
}

// Entries a consumer that died (and never came back under its name) had read: make them ours.
for (let cursor = '0-0'; ;) {
  [cursor] = await redis.xautoclaim(stream, group, consumer, claimIdleMs, cursor, 'COUNT', 100, 'JUSTID');
  if (cursor === '0-0') break;
}
// Our own pending entries first (read before a crash, never acknowledged), oldest first.
for (let cursor = '0'; ;) {
  const entries = await read(cursor, false);
  if (entries.length === 0) break;
  for (const [entryId, flat] of entries) await processEntry(entryId, flat);
  cursor = entries.at(-1)[0];
}
// Then new entries as they arrive.
for (;;) {
  for (const [entryId, flat] of await read('>', true)) await processEntry(entryId, flat);
}
