// node bench/parse-cost.mjs <a/dist> <b/dist> [rounds]: CPU per call of the receiver's parse step
// (parseMessage: the byte checks before JSON.parse, JSON.parse, the shape check and the payload's
// source text) of two builds, interleaved, on the bench's channel.follow and the type catalog's
// channel.chat.message sample (b's samples). One thread's own CPU time (process.cpuUsage), so it stays comparable on a busy machine.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signedFollow } from './sign.mjs';

const [a, b, roundsArg = '5'] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write('usage: node bench/parse-cost.mjs <a/dist> <b/dist> [rounds]\n');
  process.exit(2);
}
const load = async (dist, module) => import(pathToFileURL(resolve(dist, module)).href);
const { sampleEvent } = await load(b, 'twitch/samples/index.js');
const follow = JSON.parse(signedFollow().body);
const chat = {
  subscription: { ...follow.subscription, type: 'channel.chat.message', version: '1' },
  event: sampleEvent('channel.chat.message', '1'),
};
const bodies = [follow, chat].map((payload) => Buffer.from(JSON.stringify(payload)));
const builds = [
  ['a', (await load(a, 'receiver/parse-message.js')).parseMessage],
  ['b', (await load(b, 'receiver/parse-message.js')).parseMessage],
];
const CALLS = 100_000;

function cost(parse, body) {
  for (let i = 0; i < 5_000; i++) parse('notification', body);
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) parse('notification', body);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / CALLS;
}

process.stdout.write('| round | build | follow µs/call | chat message µs/call |\n|---:|---|---:|---:|\n');
for (let round = 1; round <= Number(roundsArg); round++) {
  for (const [name, parse] of builds) {
    const figures = bodies.map((body) => cost(parse, body).toFixed(2));
    process.stdout.write(`| ${round} | ${name} | ${figures.join(' | ')} |\n`);
  }
}
