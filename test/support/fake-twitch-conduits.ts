import { randomUUID } from 'node:crypto';
import type { FakeSubscription, FakeTwitch } from './fake-twitch.js';
import type { FakeWsSession } from './fake-eventsub-ws.js';
import { disabledStatus, eventFrame, twitchTimestamp } from './fake-eventsub-ws-messages.js';
import { challengeShard, deliverToShard } from './fake-twitch-conduits-webhook.js';

/** Twitch's conduit limits (https://dev.twitch.tv/docs/eventsub/handling-conduit-events/, "Limits"). */
export const CONDUIT_LIMITS = { conduits: 5, shards: 20_000, shardsPerUpdate: 100 } as const;
/** "if no shard is reactivated after 72 hours, EventSub will delete the conduit" (same page). */
export const CONDUIT_ORPHAN_MS = 72 * 3600_000;

export type FakeShardTransport =
  | { method: 'websocket'; session_id: string; connected_at: string; disconnected_at?: string }
  | { method: 'webhook'; callback: string };

export interface FakeShard {
  id: string;
  /** `enabled`, or the status of the transport that disabled it (websocket_disconnected …). */
  status: string;
  /** Undefined until a transport is assigned: such a shard receives nothing. */
  transport?: FakeShardTransport;
}

export interface FakeConduit {
  id: string;
  shards: FakeShard[];
  /** Fake-clock time since which no shard has been enabled (the 72 h rule counts from here). */
  allDisabledSince?: number;
}

/** What became of one notification the fake routed through a conduit. */
export interface RoutedNotification {
  messageId: string;
  subscriptionId: string;
  conduitId: string;
  /** The shard the hash picked. */
  shard: string;
  /** The shard that got it (the hash's, or the one it was resent to), undefined when dropped. */
  deliveredTo?: string;
  sessionId?: string;
}

/**
 * Twitch's conduits as the fake keeps them: conduits and their shards, WebSocket sessions of the
 * fake EventSub WebSocket server assigned to shards, notifications routed to a shard by channel id
 * ("a hashing mechanism to determine which shard notifications for a particular channel ID will be
 * delivered on"), resent once to another shard when that one is disabled and dropped when the
 * second is disabled too, `conduit.shard.disabled` sent when a shard's session ends, and the 72 h
 * rule on a clock tests advance. Source: https://dev.twitch.tv/docs/eventsub/handling-conduit-events/
 * and https://dev.twitch.tv/docs/api/reference/#get-conduits (… #update-conduit-shards).
 * The Helix endpoints are in fake-twitch-conduits-helix.ts.
 */
export class FakeConduits {
  readonly conduits = new Map<string, FakeConduit>();
  /** Every notification routed through a conduit, in order (dropped ones included). */
  readonly routed: RoutedNotification[] = [];
  /** `${conduit id}/${shard id}` → a webhook shard's secret (Twitch keeps it to sign every message). */
  private readonly secrets = new Map<string, string>();
  /** Added to Date.now() for the 72 h rule (advanceClock). */
  private clockOffsetMs = 0;

  constructor(private readonly twitch: FakeTwitch) {}

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  create(shardCount: number): FakeConduit {
    const conduit: FakeConduit = { id: randomUUID(), shards: [], allDisabledSince: this.now() };
    this.resize(conduit, shardCount);
    this.conduits.set(conduit.id, conduit);
    return conduit;
  }

  /** Shard ids are 0..count-1; lowering the count removes the shards above it (Update Conduits). */
  resize(conduit: FakeConduit, shardCount: number): void {
    conduit.shards.length = Math.min(conduit.shards.length, shardCount);
    for (let i = conduit.shards.length; i < shardCount; i++)
      conduit.shards.push({ id: String(i), status: 'websocket_disconnected' });
    this.noteEnabled(conduit);
  }

  /** Deletes the conduit; its subscriptions end with `conduit_deleted`. */
  delete(conduitId: string): boolean {
    if (!this.conduits.delete(conduitId)) return false;
    for (const sub of this.subscriptionsOf(conduitId)) sub.status = 'conduit_deleted';
    return true;
  }

  /**
   * Assigns a session of the fake EventSub WebSocket server to a shard. Returns an error message
   * for the 202 body's `errors` when it cannot (the session must exist and still be connected).
   */
  assignWebSocket(conduit: FakeConduit, shardId: string, sessionId: string): string | undefined {
    const shard = conduit.shards.find((s) => s.id === shardId);
    if (!shard) return "The shard id is outside the conduit's range";
    const session = this.twitch.webSockets?.sessions.get(sessionId);
    if (!session?.open || session.movedTo)
      return 'websocket transport session does not exist or has already disconnected';
    shard.transport = { method: 'websocket', session_id: sessionId, connected_at: session.connectedAt };
    shard.status = 'enabled';
    // An assigned session is used: the 10 s "associate it with a shard" window is met.
    session.subscribed = true;
    this.noteEnabled(conduit);
    return undefined;
  }

  /**
   * Assigns a webhook callback to a shard: pending until the callback echoes the signed challenge
   * (`{challenge, conduit_shard: {conduit_id, shard}}`, handling-conduit-events "Verifying a
   * conduit"), then enabled; failed when it does not. Returns an error message for `errors`.
   */
  assignWebhook(conduit: FakeConduit, shardId: string, callback: string, secret: string): string | undefined {
    const shard = conduit.shards.find((s) => s.id === shardId);
    if (!shard) return "The shard id is outside the conduit's range";
    if (!/^https?:\/\//.test(callback)) return 'transport.callback must be an https URL';
    if (secret.length < 10 || secret.length > 100) return 'transport.secret must be 10-100 characters';
    shard.transport = { method: 'webhook', callback };
    shard.status = 'webhook_callback_verification_pending';
    this.secrets.set(`${conduit.id}/${shardId}`, secret);
    this.noteEnabled(conduit);
    if (this.twitch.callbacks)
      void challengeShard(conduit.id, shardId, callback, secret, this.twitch.policy).then((ok) => {
        if (shard.transport?.method !== 'webhook' || shard.transport.callback !== callback) return;
        shard.status = ok ? 'enabled' : 'webhook_callback_verification_failed';
        this.noteEnabled(conduit);
        this.twitch.log?.(`conduit ${conduit.id} shard ${shardId} challenge → ${callback}: ${shard.status}`);
      });
    return undefined;
  }

  /** A session_reconnect moved `from`'s traffic to `to`: the shard follows it, staying enabled. */
  sessionMoved(from: string, to: FakeWsSession): void {
    for (const { shard } of this.shardsOnSession(from)) {
      shard.transport = { method: 'websocket', session_id: to.id, connected_at: to.connectedAt };
    }
  }

  /** The session closed (either side): its shard is disabled and `conduit.shard.disabled` sent. */
  sessionEnded(sessionId: string, code: number): void {
    for (const { conduit, shard } of this.shardsOnSession(sessionId)) {
      shard.status = disabledStatus(code);
      if (shard.transport?.method === 'websocket')
        shard.transport = { ...shard.transport, disconnected_at: twitchTimestamp() };
      this.noteEnabled(conduit);
      this.twitch.log?.(`conduit ${conduit.id} shard ${shard.id} disabled: ${shard.status}`);
      this.announceDisabled(conduit, shard);
    }
  }

  /**
   * Sends a notification of `type` to every enabled conduit subscription of that type (whose
   * condition includes `condition`, when given), each routed by its channel id. `event` defaults
   * to the condition's channel as the broadcaster. Returns what became of each.
   */
  notify(
    type: string,
    event?: Record<string, unknown>,
    options: { condition?: Record<string, string>; messageId?: string } = {},
  ): RoutedNotification[] {
    const wanted = Object.entries(options.condition ?? {});
    const targets = this.twitch.subscriptions.filter(
      (s) =>
        s.transport.method === 'conduit' &&
        s.status === 'enabled' &&
        s.type === type &&
        wanted.every(([k, v]) => s.condition[k] === v),
    );
    return targets.map((sub) =>
      this.route(sub, event ?? { broadcaster_user_id: channelOf(sub) }, options.messageId),
    );
  }

  /**
   * Revokes a conduit subscription: its status becomes `status` (so it gets no more events) and
   * one `revocation` message goes to the shard its channel hashes to, resent and dropped like a
   * notification ("You'll receive this message once": the EventSub revocation docs). The fake
   * sends it to WebSocket shards only. Undefined when no such conduit subscription exists.
   */
  revoke(subscriptionId: string, status: string): RoutedNotification | undefined {
    const sub = this.twitch.subscriptions.find(
      (s) => s.id === subscriptionId && s.transport.method === 'conduit' && s.status === 'enabled',
    );
    if (!sub) return undefined;
    sub.status = status;
    return this.route(sub, undefined, randomUUID(), 'revocation');
  }

  /** Moves the fake clock on, then applies the 72 h rule to conduits with every shard disabled. */
  advanceClock(ms: number): string[] {
    this.clockOffsetMs += ms;
    const deleted: string[] = [];
    for (const conduit of [...this.conduits.values()]) {
      const since = conduit.allDisabledSince;
      if (since !== undefined && this.now() - since >= CONDUIT_ORPHAN_MS) {
        this.delete(conduit.id);
        deleted.push(conduit.id);
        this.twitch.log?.(`conduit ${conduit.id} deleted: every shard disabled for 72 h`);
      }
    }
    return deleted;
  }

  subscriptionsOf(conduitId: string): FakeSubscription[] {
    return this.twitch.subscriptions.filter(
      (s) => s.transport.method === 'conduit' && s.transport.conduit_id === conduitId,
    );
  }

  private route(
    sub: FakeSubscription,
    event: Record<string, unknown> | undefined,
    messageId: string = randomUUID(),
    kind: 'notification' | 'revocation' = 'notification',
  ): RoutedNotification {
    const conduit = this.conduits.get(sub.transport.conduit_id!)!;
    const first = stableHash(channelOf(sub)) % conduit.shards.length;
    // Disabled: "it attempts to resend the notification to another shard. If that second shard is
    // also disabled, EventSub will drop the notification." The fake's second choice is the next id.
    const second = (first + 1) % conduit.shards.length;
    const chosen = [first, second].map((i) => conduit.shards[i]!).find((s) => s.status === 'enabled');
    const transport = chosen?.transport;
    const routed: RoutedNotification = {
      messageId,
      subscriptionId: sub.id,
      conduitId: conduit.id,
      shard: String(first),
      ...(chosen && { deliveredTo: chosen.id }),
      ...(transport?.method === 'websocket' && { sessionId: transport.session_id }),
    };
    if (transport?.method === 'websocket')
      this.twitch.webSockets!.sendRaw(transport.session_id, eventFrame(kind, sub, event, messageId));
    if (transport?.method === 'webhook' && kind === 'revocation')
      throw new Error('the fake sends conduit revocations to WebSocket shards only');
    // A webhook shard gets Twitch's retries; when they all fail the shard is disabled, and the
    // notification is not resent to another shard (handling-conduit-events).
    if (transport?.method === 'webhook' && event)
      void deliverToShard(
        transport.callback,
        this.secrets.get(`${conduit.id}/${chosen!.id}`)!,
        sub,
        event,
        messageId,
        this.twitch.policy,
      ).then((delivered) => {
        if (delivered || chosen!.status !== 'enabled') return;
        chosen!.status = 'notification_failures_exceeded';
        this.noteEnabled(conduit);
        this.announceDisabled(conduit, chosen!);
      });
    this.routed.push(routed);
    return routed;
  }

  private announceDisabled(conduit: FakeConduit, shard: FakeShard): void {
    const event = {
      conduit_id: conduit.id,
      shard_id: shard.id,
      status: shard.status,
      transport: shard.transport,
    };
    for (const sub of this.twitch.subscriptions) {
      const c = sub.condition;
      if (sub.type !== 'conduit.shard.disabled' || sub.status !== 'enabled') continue;
      if (c.client_id !== this.twitch.clientId || (c.conduit_id && c.conduit_id !== conduit.id)) continue;
      if (sub.transport.method === 'conduit') this.route(sub, event);
    }
  }

  private shardsOnSession(sessionId: string): Array<{ conduit: FakeConduit; shard: FakeShard }> {
    return [...this.conduits.values()].flatMap((conduit) =>
      conduit.shards
        .filter(
          (shard) => shard.transport?.method === 'websocket' && shard.transport.session_id === sessionId,
        )
        .map((shard) => ({ conduit, shard })),
    );
  }

  /** Starts or stops the 72 h count: it runs while no shard of the conduit is enabled. */
  private noteEnabled(conduit: FakeConduit): void {
    const anyEnabled = conduit.shards.some((s) => s.status === 'enabled');
    if (anyEnabled) delete conduit.allDisabledSince;
    else conduit.allDisabledSince ??= this.now();
  }
}

/** The channel a subscription's notifications are routed by (the docs: "a particular channel ID"). */
export function channelOf(sub: Pick<FakeSubscription, 'condition'>): string {
  const c = sub.condition;
  return c.broadcaster_user_id ?? c.to_broadcaster_user_id ?? c.user_id ?? c.client_id ?? c.conduit_id ?? '';
}

/** FNV-1a (32 bit): the same channel always lands on the same shard of a conduit of a given size. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
