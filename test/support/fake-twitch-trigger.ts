import type { ServerResponse } from 'node:http';
import {
  deliverNotification,
  revoke,
  type CallbackDelivery,
  type DeliveryPolicy,
} from './fake-twitch-callbacks.js';
import type { FakeSubscription, RecordedRequest } from './fake-twitch.js';
import { json } from './fake-twitch-json.js';

/** What `POST /__fake/trigger` needs from the fake: its subscriptions, their secrets, how to deliver. */
export interface TriggerState {
  readonly subscriptions: FakeSubscription[];
  readonly secrets: Map<string, string>;
  readonly policy: DeliveryPolicy;
  readonly deliveries: CallbackDelivery[];
  log: ((line: string) => void) | undefined;
}

/** The request body: which subscriptions (by id, or every one of a type), and what to send. */
export interface TriggerRequest {
  type?: string;
  subscription_id?: string;
  /** A revocation with this status instead of a notification. */
  revoke?: string;
  count?: number;
  /** false: answer 202 at once instead of after every delivery (with its retries) has finished. */
  wait?: boolean;
}

/**
 * `POST /__fake/trigger`: sends what Twitch would to the subscriptions' callbacks. Notifications go
 * only to `enabled` subscriptions (Twitch sends nothing before the challenge succeeded); a
 * revocation to any. Answers with every delivery and its attempts.
 */
export function routeTrigger(state: TriggerState, req: RecordedRequest, res: ServerResponse): void {
  let input: TriggerRequest;
  try {
    input = JSON.parse(req.body || '{}') as TriggerRequest;
  } catch {
    return json(res, 400, { status: 400, message: 'body must be JSON: {"type": "channel.follow"}' });
  }
  if (!input.type && !input.subscription_id)
    return json(res, 400, { status: 400, message: 'give "type" or "subscription_id"' });
  const count = input.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 100)
    return json(res, 400, { status: 400, message: '"count" must be 1–100' });
  const targets = state.subscriptions.filter(
    (s) =>
      // WebSocket and conduit subscriptions get their events over a session (/_fake/eventsub-ws/notify,
      // /_fake/conduits/notify).
      s.transport.method === 'webhook' &&
      (input.subscription_id ? s.id === input.subscription_id : s.type === input.type) &&
      (input.revoke
        ? s.status === 'enabled' || s.status.startsWith('webhook_callback')
        : s.status === 'enabled'),
  );
  if (targets.length === 0) {
    const which = input.subscription_id
      ? `subscription ${input.subscription_id}`
      : `${input.type} subscription`;
    const statuses = state.subscriptions
      .filter((s) => (input.subscription_id ? s.id === input.subscription_id : s.type === input.type))
      .map((s) => s.status);
    return json(res, 404, {
      status: 404,
      message: `no enabled ${which}${statuses.length ? ` (status: ${statuses.join(', ')})` : ''}: create one with \`eventsub-relay subscribe\` while the relay runs, so the challenge succeeds`,
    });
  }
  const work = (async () => {
    const done: CallbackDelivery[] = [];
    for (const sub of targets) {
      const secret = state.secrets.get(sub.id)!;
      for (let i = 0; i < (input.revoke ? 1 : count); i++) {
        const delivery = input.revoke
          ? await revoke(sub, secret, input.revoke, state.policy, state.log)
          : await deliverNotification(sub, secret, state.policy, state.log);
        state.deliveries.push(delivery);
        done.push(delivery);
        if (sub.status !== 'enabled') break; // revoked: Twitch sends nothing more
      }
    }
    return done;
  })();
  if (input.wait === false) {
    void work;
    return json(res, 202, { data: [], message: `sending to ${targets.length} subscription(s)` });
  }
  void work.then((data) => json(res, 200, { data }));
}
