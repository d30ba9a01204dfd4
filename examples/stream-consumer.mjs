// A Node consumer of a relay stream (GET /stream/<name>) that never misses an event: it keeps the
// last seq it handled in a file and resumes from it with Last-Event-ID, across its own restarts,
// dropped connections and relay restarts. Node 20+, no dependencies.
//
//   STREAM_URL=http://127.0.0.1:8080/stream/bot STREAM_TOKEN=… node examples/stream-consumer.mjs
//
// STREAM_STATE (default ./stream-consumer.last-id) is where the last handled seq is kept.
import { readFileSync, writeFileSync } from 'node:fs';

const url = process.env.STREAM_URL ?? 'http://127.0.0.1:8080/stream/bot';
const token = process.env.STREAM_TOKEN;
const stateFile = process.env.STREAM_STATE ?? './stream-consumer.last-id';
if (!token) {
  console.error(
    'set STREAM_TOKEN to the stream token (streams: in eventsub-relay.yml, or its file in DATA_DIR)',
  );
  process.exit(1);
}

let lastId;
try {
  lastId = readFileSync(stateFile, 'utf8').trim() || undefined;
} catch {
  lastId = undefined; // first run: start with live events
}

/** Your code: one envelope (the JSON the HTTP sink posts), after which its seq is saved. */
async function handle(type, envelope, seq) {
  console.log(JSON.stringify({ seq, type, event: envelope.event }));
}

async function consume() {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (lastId) headers['Last-Event-ID'] = lastId;
  const res = await fetch(url + (lastId ? '' : '?since=now'), { headers });
  if (res.status === 401 || res.status === 404 || res.status === 400) {
    console.error(`stream refused (${res.status}): ${await res.text()}`);
    process.exit(1);
  }
  if (!res.ok) throw new Error(`relay answered ${res.status}`);
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of res.body) {
    pending += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      let id;
      let type = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) type = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length === 0 || !id) continue; // comments (heartbeats) and the retry hint
      await handle(type, JSON.parse(data.join('\n')), Number(id));
      lastId = id;
      writeFileSync(stateFile, id + '\n');
    }
  }
}

for (;;) {
  try {
    await consume();
    console.error('stream ended (relay restarting?); resuming in 3 s');
  } catch (error) {
    console.error(`stream failed (${error.message}); resuming in 3 s`);
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));
}
