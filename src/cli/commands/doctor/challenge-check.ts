import { callbackNeeded } from './callback-needed.js';
import { findings, type Check, type DoctorState, type Finding } from './check.js';
import { messageOf } from './runner.js';
import { sendChallenge, type ChallengeAnswer } from './signed-challenge.js';
import { unreachableAdvice } from './tls-check.js';
import { publicName, publicTarget, trustedCas } from './tls-probe.js';

/** Where the relay itself listens, as a client reaches it (an any-address HOST means this host). */
function relayAddress(host: string, port: number): { host: string; port: number } {
  if (host === '0.0.0.0') return { host: '127.0.0.1', port };
  if (host === '::') return { host: '::1', port };
  return { host, port };
}

/** The 403 the relay gives when our secret is not its secret. */
const isSignatureRejected = (answer: ChallengeAnswer) =>
  !answer.error && answer.status === 403 && answer.body.includes('invalid_signature');

/**
 * A signed challenge to the relay directly (it runs and takes this secret), then one through
 * PUBLIC_URL (nginx, TLS, the way Twitch comes): each must come back exactly. Where the public one
 * fails and the local one works, the difference is what lies between them.
 */
export const challengeCheck: Check = {
  id: 'challenge',
  title: 'challenge',
  hard: true,
  async run(state) {
    const config = state.config;
    const f = findings(challengeCheck);
    // No callback with TRANSPORT=websocket or a WebSocket conduit shard: the PUBLIC_URL line above says so.
    if (state.config && !callbackNeeded(state.config.env)) return [];
    if (!config) return [f.skip('needs a valid configuration')];
    if (!config.secret) return [f.skip('needs an EventSub secret (see above)')];
    return [await local(state, f), await throughPublicUrl(state, f)];
  },
};

type F = ReturnType<typeof findings>;

async function local(state: DoctorState, f: F): Promise<Finding> {
  const config = state.config!;
  const part = { id: 'local', title: 'relay (local challenge)' };
  const address = relayAddress(config.env.HOST, config.env.PORT);
  const where = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
  const answer = await sendChallenge(
    config.secret!.value,
    { callback: `http://${where}/callback`, connect: address },
    state.options.timeoutMs,
  );
  if (answer.error) {
    const what = answer.error.code === 'ECONNREFUSED' ? 'nothing listens there' : messageOf(answer.error);
    return f.fail(
      `the relay does not answer on ${where} (${what})`,
      'start it: `sudo systemctl start eventsub-relay` (installed service) or `eventsub-relay serve`; HOST and PORT must be what it listens on',
      part,
    );
  }
  if (isSignatureRejected(answer)) {
    state.relayRejectsSecret = true;
    return f.fail(
      `the relay on ${where} rejects a challenge signed with this command's secret (${config.secret!.source}): it runs with another one`,
      'run doctor with the service’s settings (`sudo eventsub-relay doctor` for the installed service: same env file and DATA_DIR); ' +
        'if the relay’s secret is the wrong one, subscriptions made with it need `eventsub-relay sync --rotate-secret`',
      part,
    );
  }
  if (!answer.echoed)
    return f.fail(
      `the relay on ${where} answered ${answer.status} ${answer.body.slice(0, 200)} instead of the challenge`,
      'see the relay’s log (`journalctl -u eventsub-relay`)',
      part,
    );
  state.relayAnswers = true;
  return f.ok(`the relay on ${where} echoed a signed challenge exactly`, undefined, part);
}

async function throughPublicUrl(state: DoctorState, f: F): Promise<Finding> {
  const part = { id: 'public', title: 'challenge through PUBLIC_URL' };
  const origin = state.config!.env.PUBLIC_URL;
  const target = publicTarget(state);
  const name = publicName(state);
  if (!origin || !target || !name) return f.skip('needs PUBLIC_URL to resolve (see above)', undefined, part);
  const callback = `${origin}/callback`;
  const answer = await sendChallenge(
    state.config!.secret!.value,
    { callback, connect: target, ca: trustedCas(state) },
    state.options.timeoutMs,
  );
  const works = state.relayAnswers ? ' while the relay itself answers (see above)' : '';
  if (answer.error) {
    const what = answer.error.code === 'ECONNREFUSED' ? 'connection refused' : messageOf(answer.error);
    return f.fail(
      `${callback} via ${target.host}:${target.port}: ${what}${works}`,
      unreachableAdvice(target, name),
      part,
    );
  }
  if (answer.echoed)
    return f.ok(
      `${callback} echoed a signed challenge exactly (TLS, nginx, relay: the way Twitch comes)`,
      undefined,
      part,
    );
  if (answer.status === 502 || answer.status === 504) {
    return f.fail(
      `${callback} answered ${answer.status}: nginx is up but gets no answer from the relay behind it`,
      state.relayAnswers
        ? `nginx's upstream must be the relay's address (${state.config!.env.HOST}:${state.config!.env.PORT}): check the upstream block of the nginx site, then \`sudo systemctl reload nginx\``
        : 'start the relay (see above)',
      part,
    );
  }
  if (isSignatureRejected(answer) && state.relayRejectsSecret) {
    return f.fail(
      `${callback} rejects this command's secret too, as the relay itself does (see above)`,
      'run doctor with the service’s settings (`sudo eventsub-relay doctor`)',
      part,
    );
  }
  if (isSignatureRejected(answer)) {
    return f.fail(
      `${callback} rejects this secret${works}: nginx forwards to another relay, with another secret`,
      `the nginx upstream must be this relay (${state.config!.env.HOST}:${state.config!.env.PORT}); if it is, run doctor with the service's settings (\`sudo eventsub-relay doctor\`)`,
      part,
    );
  }
  return f.fail(
    `${callback} answered ${answer.status} ${answer.body.slice(0, 200).replace(/\s+/g, ' ')} instead of the challenge`,
    answer.status === 404 || answer.status === 405
      ? 'the server at that name is not the relay’s nginx site (nginx/eventsub.conf, installed by deploy/install.sh)'
      : 'see the nginx error log and the relay’s log',
    part,
  );
}
