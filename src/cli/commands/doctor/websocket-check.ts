import WebSocket from 'ws';
import { resolverWithTokens } from '../../../subscriptions/prepare.js';
import { parseWsMessage } from '../../../transports/websocket/messages.js';
import { planSessions, WEBSOCKET_LIMITS } from '../../../transports/websocket/plan.js';
import { findings, type Check, type DoctorState, type Finding } from './check.js';
import { messageOf } from './runner.js';
import { splitAdvice } from './tokens-check.js';

type F = ReturnType<typeof findings>;

/**
 * TRANSPORT=websocket only: what `serve` checks before it connects (the config file's
 * subscriptions, each deliverable over WebSockets, created with a stored user token that has a
 * refresh token and the scopes, within Twitch's limits), then whether EVENTSUB_WS_URL answers
 * with a session_welcome. The probe's session is closed at once and creates no subscription.
 */
export const websocketCheck: Check = {
  id: 'websocket',
  title: 'EventSub WebSocket',
  hard: true,
  async run(state) {
    const config = state.config;
    if (config?.env.TRANSPORT !== 'websocket') return [];
    const f = findings(websocketCheck);
    return [await sessions(state, f), await welcome(config.env.EVENTSUB_WS_URL, state.options.timeoutMs, f)];
  },
};

async function sessions(state: DoctorState, f: F): Promise<Finding> {
  const part = { id: 'subscriptions', title: 'WebSocket subscriptions' };
  if (!state.tokens || !state.credentials || !state.twitch)
    return f.skip('needs the Twitch application', undefined, part);
  const twitch = state.twitch;
  try {
    const plans = await planSessions(
      { path: state.config?.configFilePath, subscriptions: state.config?.subscriptions ?? [] },
      {
        tokens: state.tokens,
        resolveUser: resolverWithTokens(state.tokens, () => (login) => twitch.resolveUser(login)),
        clientId: state.credentials.clientId,
      },
    );
    const each = plans.map(
      (plan) =>
        `${plan.subscriptions.length} with the token of ${plan.user.login} (cost ${plan.estimatedCost} of ${WEBSOCKET_LIMITS.maxTotalCost})`,
    );
    return f.ok(`what serve creates on each session: ${each.join('; ')}`, undefined, part);
  } catch (error) {
    const { detail, fix } = adviceOf(messageOf(error));
    return f.fail(detail, fix, part);
  }
}

/**
 * What is wrong, then what to do. The plan's messages say it in sentences ("…. Log in …"), or in
 * one whose advice follows a colon ("… has no refresh token, …: log in as them and run `…`").
 */
function adviceOf(message: string): { detail: string; fix: string } {
  if (message.indexOf('. ') > 0) return splitAdvice(message);
  const colon = message.search(/: [^:]*`/);
  return colon > 0
    ? { detail: message.slice(0, colon), fix: message.slice(colon + 2) }
    : splitAdvice(message);
}

/** Opens EVENTSUB_WS_URL as the relay does and waits for Twitch's first message, a session_welcome. */
async function welcome(url: string, timeoutMs: number, f: F): Promise<Finding> {
  const part = { id: 'url', title: 'EVENTSUB_WS_URL' };
  const fix =
    'the relay must be able to open this URL: check this host’s network, DNS and any proxy or firewall for outgoing ' +
    'connections; EVENTSUB_WS_URL should be wss://eventsub.wss.twitch.tv/ws unless you test against a local server';
  const answer = await new Promise<{ welcomed?: { keepaliveSeconds: number }; problem?: string }>(
    (resolve) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url, { handshakeTimeout: timeoutMs, maxPayload: 1 << 20 });
      } catch (error) {
        resolve({ problem: messageOf(error) });
        return;
      }
      const done = (result: { welcomed?: { keepaliveSeconds: number }; problem?: string }) => {
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        if (socket.readyState === WebSocket.OPEN) socket.close(1000, 'eventsub-relay doctor');
        else socket.terminate();
        resolve(result);
      };
      const timer = setTimeout(
        () => done({ problem: `no session_welcome within ${timeoutMs} ms` }),
        timeoutMs,
      );
      socket.on('message', (data) => {
        const message = parseWsMessage(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
        if (message.kind === 'welcome') done({ welcomed: { keepaliveSeconds: message.keepaliveSeconds } });
        else done({ problem: `its first message was not a session_welcome (${message.kind})` });
      });
      socket.on('error', (error) => done({ problem: messageOf(error) }));
      socket.on('close', (code) =>
        done({ problem: `it closed the connection (${code}) before a session_welcome` }),
      );
    },
  );
  if (answer.welcomed)
    return f.ok(
      `${url} answered with a session_welcome (keepalive ${answer.welcomed.keepaliveSeconds} s); the probe's session was closed unused`,
      undefined,
      part,
    );
  return f.fail(`${url}: ${answer.problem}`, fix, part);
}
