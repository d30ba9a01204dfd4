// node bench/parse-guards.mjs (after npm run build): what the checks before JSON.parse cost on
// /callback's hot path — the UTF-8 check and the nesting-depth scan — next to JSON.parse itself,
// for Twitch's documented payloads. Prints nanoseconds per body; figures, never pass/fail.
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withinJsonDepth } from '../dist/twitch/json-depth.js';

const fixtures = fileURLToPath(new URL('../../shared/fixtures/twitch/', import.meta.url));
const bodies = [
  'notification.channel.follow.v2.json',
  'notification.channel.chat.message.v1.json',
  'notification.channel.subscription.gift.v1.json',
].map((name) => [name, Buffer.from(JSON.stringify(JSON.parse(readFileSync(fixtures + name, 'utf8'))))]);
const big = Buffer.from(
  JSON.stringify({ event: { text: 'x'.repeat(64 * 1024), list: Array(2000).fill({ a: [1, 2] }) } }),
);
bodies.push(['synthetic 90 KB body', big]);

function nsPer(run, rounds) {
  for (let i = 0; i < rounds / 10; i++) run(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) run();
  return Number(process.hrtime.bigint() - start) / rounds;
}

console.log('| body | bytes | isUtf8 ns | depth scan ns | JSON.parse ns | checks / parse |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, bytes] of bodies) {
  const rounds = bytes.length > 10_000 ? 2_000 : 200_000;
  const utf8 = nsPer(() => isUtf8(bytes), rounds);
  const depth = nsPer(() => withinJsonDepth(bytes), rounds);
  const parse = nsPer(() => JSON.parse(bytes.toString('utf8')), rounds);
  console.log(
    `| ${name} | ${bytes.length} | ${utf8.toFixed(0)} | ${depth.toFixed(0)} | ${parse.toFixed(0)} | ${((utf8 + depth) / parse).toFixed(2)} |`,
  );
}
