// Sends signed notifications at a steady rate, as Twitch does, and re-sends (same message id,
// Retry header counted up, signed again) whatever was not acknowledged with a 2xx: a 503, a reset
// connection, a relay that is down. `acked` is what the relay promised is durable.
import { createHmac } from 'node:crypto';
import { Pool } from 'undici';
import { signedFollow } from '../sign.mjs';

const RESEND_AFTER_MS = 1000;
/** Requests in flight at most; past that the sender falls behind (and says so) instead of piling up. */
const MAX_IN_FLIGHT = 4000;
const TICK_MS = 10;

function resign(secret, id, body, retry) {
  const timestamp = new Date().toISOString();
  const signature =
    'sha256=' +
    createHmac('sha256', secret)
      .update(id + timestamp + body)
      .digest('hex');
  return {
    'content-type': 'application/json',
    'twitch-eventsub-message-id': id,
    'twitch-eventsub-message-retry': String(retry),
    'twitch-eventsub-message-type': 'notification',
    'twitch-eventsub-message-signature': signature,
    'twitch-eventsub-message-timestamp': timestamp,
    'twitch-eventsub-subscription-type': 'channel.follow',
    'twitch-eventsub-subscription-version': '2',
  };
}

export class TwitchSender {
  acked = new Set();
  /** id → { body, retry, dueAt }: refused or unanswered, to be sent again. */
  waiting = new Map();
  sent = 0;
  resent = 0;
  behind = 0;
  statuses = new Map();
  /** Why requests got no answer (error code → count). */
  errors = new Map();
  inFlight = 0;

  constructor(url, secret, rate) {
    this.secret = secret;
    this.rate = rate;
    this.pool = new Pool(url, { connections: 64, headersTimeout: 15_000, bodyTimeout: 15_000 });
  }

  start() {
    const started = Date.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((Date.now() - started) / 1000) * this.rate);
      while (this.sent < due) {
        if (this.inFlight >= MAX_IN_FLIGHT) {
          this.behind += due - this.sent;
          this.sent = due;
          break;
        }
        this.sent++;
        const { body, headers } = signedFollow(this.secret);
        void this.post(headers['twitch-eventsub-message-id'], body, headers, 0);
      }
      this.resendDue();
    }, TICK_MS);
  }

  /** Stops sending new events; re-sends go on while `drain` runs. */
  stopNew() {
    clearInterval(this.timer);
  }

  /** Re-sends until every event was acknowledged, or `timeoutMs` passes; resolves with what is left. */
  async drain(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while ((this.waiting.size > 0 || this.inFlight > 0) && Date.now() < deadline) {
      this.resendDue();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return this.waiting.size + this.inFlight;
  }

  resendDue() {
    const now = Date.now();
    for (const [id, entry] of this.waiting) {
      if (entry.dueAt > now || this.inFlight >= MAX_IN_FLIGHT) continue;
      this.waiting.delete(id);
      this.resent++;
      void this.post(id, entry.body, resign(this.secret, id, entry.body, entry.retry), entry.retry);
    }
  }

  async post(id, body, headers, retry) {
    this.inFlight++;
    let status = 0;
    try {
      const res = await this.pool.request({ path: '/callback', method: 'POST', headers, body });
      status = res.statusCode;
      await res.body.dump();
    } catch (error) {
      status = 0; // reset or refused: the relay was killed or is starting
      const code = error.code ?? error.name;
      this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    } finally {
      this.inFlight--;
    }
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status >= 200 && status < 300) this.acked.add(id);
    else this.waiting.set(id, { body, retry: retry + 1, dueAt: Date.now() + RESEND_AFTER_MS });
  }

  close() {
    return this.pool.close();
  }
}
