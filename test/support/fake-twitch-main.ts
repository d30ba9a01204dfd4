// `npm run fake-twitch [-- --port 8090 --login streamer …]`: the fake Twitch of the tests as a
// program, so anyone can try the relay and its CLI without a Twitch application. In memory, on
// 127.0.0.1 only: it calls nothing but the callbacks it is given. `--trigger <type>` (with the port
// of a running fake) asks that fake to send an event, like Twitch would.
import { parseArgs } from 'node:util';
import { FakeTwitch } from './fake-twitch.js';
import { FakeEventSubWs } from './fake-eventsub-ws.js';
import { requestTrigger } from './fake-twitch-client.js';

const HELP = `Usage: npm run fake-twitch -- [options]

Starts a fake Twitch (Helix EventSub + id.twitch.tv OAuth) on 127.0.0.1, seeds one broadcaster
and a user token for them, and prints the environment and commands to use it with eventsub-relay.
Like Twitch, it sends a signed challenge to every new subscription's callback (enabled only on an
exact echo) and delivers events with retries.

Options:
  --port <n>             port to listen on (default 8090; 0 = any free port)
  --public-url <url>     the PUBLIC_URL it prints for the relay (default http://127.0.0.1:8080)
  --ws-port <n>          port of the fake EventSub WebSocket server (default: --port + 1, or any with --port 0)
  --login <login>        the broadcaster's login (default streamer)
  --user-id <digits>     the broadcaster's user id (default 1337)
  --scopes <a,b>         scopes of the seeded token (default moderator:read:followers)
  --token <token>        the seeded access token (default access-<login>)
  --client-id <id>       the application's client id (default fake-client-id)
  --client-secret <s>    the application's client secret (default fake-client-secret)
  --attempts <n>         delivery attempts per notification before revoking (default 5)
  --retry-base-ms <ms>   first retry delay, doubled each time (default 10000)
  --timeout-ms <ms>      how long a callback may take to answer (default 10000)

Send to the subscriptions of a running fake (on --port, else TWURPLE_MOCK_API_PORT, else 8090):
  --trigger <type>       a notification to every enabled subscription of <type>
  --revoke <status>      with --trigger: a revocation with this status instead
  --count <n>            with --trigger: this many notifications (default 1)
  -h, --help             this text
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8090' },
    'public-url': { type: 'string', default: 'http://127.0.0.1:8080' },
    'ws-port': { type: 'string' },
    login: { type: 'string', default: 'streamer' },
    'user-id': { type: 'string', default: '1337' },
    scopes: { type: 'string', default: 'moderator:read:followers' },
    token: { type: 'string' },
    'client-id': { type: 'string', default: 'fake-client-id' },
    'client-secret': { type: 'string', default: 'fake-client-secret' },
    attempts: { type: 'string', default: '5' },
    'retry-base-ms': { type: 'string', default: '10000' },
    'timeout-ms': { type: 'string', default: '10000' },
    trigger: { type: 'string' },
    revoke: { type: 'string' },
    count: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0-65535, got "${values.port}"`);
const positive = (name: 'attempts' | 'retry-base-ms' | 'timeout-ms' | 'count') => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1)
    fail(`--${name} must be a whole number of at least 1, got "${values[name]}"`);
  return n;
};

if (values.trigger !== undefined) {
  // In a terminal with the printed environment, TWURPLE_MOCK_API_PORT names the running fake.
  const target = process.argv.some((a) => a === '--port' || a.startsWith('--port='))
    ? port
    : Number(process.env.TWURPLE_MOCK_API_PORT ?? port);
  const ok = await requestTrigger(target, {
    type: values.trigger,
    count: positive('count'),
    ...(values.revoke && { revoke: values.revoke }),
  });
  process.exit(ok ? 0 : 1);
}
if (values.revoke !== undefined) fail('--revoke goes with --trigger <type>');
if (!/^\d+$/.test(values['user-id']))
  fail(`--user-id must be digits (a Twitch user id), got "${values['user-id']}"`);

const fake = new FakeTwitch({
  clientId: values['client-id'],
  clientSecret: values['client-secret'],
  delivery: {
    attempts: positive('attempts'),
    retryBaseMs: positive('retry-base-ms'),
    timeoutMs: positive('timeout-ms'),
  },
});
const user = { id: values['user-id'], login: values.login.toLowerCase() };
const scopes = values.scopes
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const token = fake.addUser(user, scopes, values.token ?? `access-${user.login}`);
try {
  await fake.start(port);
} catch (error) {
  fail(`cannot listen on 127.0.0.1:${port} (${(error as Error).message}); pick another with --port`);
}
const wsPort = values['ws-port'] !== undefined ? Number(values['ws-port']) : port === 0 ? 0 : port + 1;
if (!Number.isInteger(wsPort) || wsPort < 0 || wsPort > 65535)
  fail(`--ws-port must be 0-65535, got "${values['ws-port']}"`);
const webSockets = new FakeEventSubWs(fake);
try {
  await webSockets.start(wsPort);
} catch (error) {
  fail(`cannot listen on 127.0.0.1:${wsPort} (${(error as Error).message}); pick another with --ws-port`);
}

process.stdout
  .write(`Fake Twitch listening on http://localhost:${fake.port} (in memory; it calls only the callbacks it is given).
Seeded broadcaster ${user.login} (user id ${user.id}) with a user token carrying: ${scopes.join(' ') || '(no scopes)'}
Authorize pages (auth login) sign in as ${user.login} at once and grant exactly the requested scopes.
New subscriptions get Twitch's signed challenge at their callback: enabled only on an exact echo.

In other terminals, in the eventsub-relay checkout (after npm run build):

export TWURPLE_MOCK_API_PORT=${fake.port}
export TWITCH_CLIENT_ID=${fake.clientId}
export TWITCH_CLIENT_SECRET=${fake.clientSecret}
export PUBLIC_URL=${values['public-url']}
export DATA_DIR=./data/fake-twitch
export CONFIG_FILE=./data/fake-twitch/eventsub-relay.yml
npx eventsub-relay auth add --access-token ${token}

TWURPLE_MOCK_API_PORT sends every Twitch call to this fake: Helix (api.twitch.tv) and OAuth
(id.twitch.tv) alike. PUBLIC_URL is where the relay listens (http: pass --allow-insecure-callback
to subscribe and sync). DATA_DIR and CONFIG_FILE keep this trial apart from your real tokens and
config. Send an event (with this environment): npm run fake-twitch -- --trigger channel.follow
Next: docs/subscriptions.md.

EventSub over WebSocket (no public address; docs/websocket.md): a fake EventSub WebSocket server
listens on ${webSockets.url}. Log in once (\`npx eventsub-relay auth login --types channel.follow\`:
the fake signs in as ${user.login}), list the subscriptions in CONFIG_FILE, then run the relay with
  TRANSPORT=websocket EVENTSUB_WS_URL=${webSockets.url} npm start
and make things happen (Twitch has no such endpoints; they stand in for a follower, a server move…):
  curl -X POST 'http://localhost:${fake.port}/_fake/eventsub-ws/notify?type=channel.follow'
  curl -X POST http://localhost:${fake.port}/_fake/eventsub-ws/reconnect
  curl -X POST 'http://localhost:${fake.port}/_fake/eventsub-ws/close?code=4000'

EventSub conduits (docs/conduits.md): the same server's sessions can be a conduit's shards; Helix
has the conduit endpoints, and events go to the shard their channel hashes to:
  curl -X POST 'http://localhost:${fake.port}/_fake/conduits/notify?type=channel.follow'
  curl -X POST 'http://localhost:${fake.port}/_fake/conduits/advance-clock?hours=72'
Stop with Ctrl-C. Requests:
`);
fake.log = (line) => process.stdout.write(`  ${line}\n`);
webSockets.log = (line) => process.stdout.write(`  ws: ${line}\n`);

// Everything lives in memory: there is nothing to flush, so a signal just ends it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));

function fail(message: string): never {
  process.stderr.write(`fake-twitch: ${message}\n`);
  process.exit(2);
}
