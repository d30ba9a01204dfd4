import { authorizingField, type CatalogEntry } from './catalog-entry.js';
import { findEntry, preferredScope } from './catalog-lookup.js';

/** The revoked subscription, as the revocation body carries it. */
export interface RevokedSubscription {
  type: string;
  version: string;
  condition: Record<string, unknown>;
}

/** What only the service knows (stored tokens, config file): the scopes a new login must carry. */
export interface RestoreHints {
  /** Every scope the authorizing user needs (so re-authorizing loses none). */
  loginScopes?: readonly string[];
  /** Their login, when a token of theirs is stored. */
  login?: string;
}

/** What a revocation means, and what restores it (a command to run, or why nothing can). */
export interface RevocationAdvice {
  what: string;
  restore: string;
}

/**
 * How the revoked subscription delivered: what brings it back differs (sync for webhook and conduit
 * subscriptions, a new session for WebSocket ones).
 */
export type RevocationTransport = 'webhook' | 'websocket' | 'conduit';

const SYNC = 'eventsub-relay sync';
/** Over WebSockets the relay creates the config file's subscriptions on each new session (`sync` is for webhooks). */
const RESTART = 'restart the relay';

/**
 * The one advice table for revocations, per status (Twitch docs, "Revoking your subscription" and
 * the status list of manage-subscriptions), and per transport where the restore differs: a webhook
 * subscription comes back with `sync`, a WebSocket one when the relay starts a new session. `sub`
 * and `hints` make it specific: which user, which scopes, which version; without them the text is
 * still right, only less precise.
 */
export function explainRevocation(
  status: string | undefined,
  sub?: RevokedSubscription,
  hints: RestoreHints = {},
  transport: RevocationTransport = 'webhook',
): RevocationAdvice {
  const user = conditionUser(sub);
  const who = user
    ? `${hints.login ? `${hints.login} (${user.id})` : `user ${user.id}`} in ${user.field}`
    : 'the user in the condition';
  const scopes = hints.loginScopes ?? catalogScopes(sub);
  const login = `eventsub-relay auth login${scopes.length ? ` --scopes ${scopes.join(',')}` : ''}`;
  const websocket = transport === 'websocket';
  const then = websocket ? RESTART : SYNC;
  // A conduit subscription belongs to the conduit (app token): `sync` creates it on the conduit again.
  const onConduit = transport === 'conduit' ? ' (it creates the subscription on the conduit again)' : '';
  switch (status) {
    case 'authorization_revoked':
      return {
        what: `${who} revoked this client id's authorization (disconnected the app or changed their password), which ends every subscription they authorized`,
        restore: websocket
          ? `log in as ${hints.login ?? 'that user'}, run \`${login}\`, then ${RESTART}`
          : `${login} (logged in as ${hints.login ?? 'that user'}), then ${SYNC}${onConduit}`,
      };
    case 'user_removed':
      return {
        what: `${who} no longer exists on Twitch (account deleted or banned), so this subscription cannot come back`,
        restore:
          `nothing to recreate: remove the entries naming ${user ? `user ${user.id}` : 'that user'} from the config file's subscriptions` +
          (websocket ? '' : `, then ${SYNC} --prune`),
      };
    case 'conduit_deleted':
      return {
        what: 'Twitch deleted the conduit this subscription was on (its shards stayed disabled for 72 h, or someone deleted it), which ends every subscription on it',
        restore:
          'remove `id:` from `conduit:` in the config file (a conduit remembered in DATA_DIR/conduit.json is replaced by itself), ' +
          `run \`${SYNC}\` to create a new conduit with its subscriptions, then put the new id in every relay's config file and restart them`,
      };
    case 'notification_failures_exceeded':
      if (transport === 'conduit')
        return {
          what: 'Twitch gave up delivering to the conduit (its shards failed)',
          restore: `${SYNC}${onConduit} once the relays serving the conduit's shards run again (\`eventsub-relay doctor\` shows each shard)`,
        };
      return {
        what: 'Twitch gave up delivering because our callback answered too slowly or with errors too often',
        restore: `${SYNC} once PUBLIC_URL/callback answers from the internet again (eventsub-relay serve running, nginx and TLS up; AUTO_RESUBSCRIBE=true does it automatically)`,
      };
    case 'version_removed':
      return {
        what: `Twitch retired ${sub ? `${sub.type} v${sub.version}` : 'this version'}`,
        restore: newerVersion(sub, transport),
      };
    case 'beta_maintenance':
      return {
        what: `Twitch is doing maintenance on the beta type${sub ? ` ${sub.type}` : ''}`,
        restore: `${then} later, when the maintenance is over`,
      };
    case 'moderator_removed':
      return {
        what: `${who} is no longer one of the broadcaster's moderators`,
        restore: `have the broadcaster or a current moderator run ${login}, put their user id in condition.moderator_user_id of the config file entry (or leave it out for the broadcaster), then ${then}`,
      };
    case 'chat_user_banned':
      return {
        what: `${who} was banned from the broadcaster's chat`,
        restore: `unban them, or use another chat user in condition.user_id of the config file entry, then ${then}`,
      };
    default:
      return {
        what: `Twitch revoked it with status ${status ?? 'unknown'}`,
        restore: websocket
          ? `${RESTART} to create it again; if it is revoked again, check it with \`eventsub-relay list\``
          : `check it with \`eventsub-relay list\`, then ${SYNC} to recreate it${transport === 'conduit' ? ' on the conduit' : ''}`,
      };
  }
}

/** One line for logs: what happened; to restore it: what to run. */
export function adviceForRevocation(
  status: string | undefined,
  sub?: RevokedSubscription,
  hints?: RestoreHints,
): string {
  const advice = explainRevocation(status, sub, hints);
  return `${advice.what}; to restore it: ${advice.restore}`;
}

/** The user whose authorization the revoked type needs, from the catalog and the condition. */
export function authorizingUser(
  sub: RevokedSubscription | undefined,
): { id: string; field: string } | undefined {
  if (!sub) return undefined;
  // A retired version is no longer in the catalog: its newest version has the same authorizer.
  const entry = [sub.version, undefined].map((version) => tryFind(sub.type, version)).find(Boolean);
  const field = entry && authorizingField(entry);
  const id = field ? sub.condition[field] : undefined;
  return field && typeof id === 'string' ? { id, field } : undefined;
}

/** Fields naming a user in conditions of types no user authorizes (stream.online, channel.raid, …). */
const USER_FIELDS = ['broadcaster_user_id', 'user_id', 'to_broadcaster_user_id', 'from_broadcaster_user_id'];

/** The user the revocation is about: the authorizing one, else the user the condition names. */
function conditionUser(sub: RevokedSubscription | undefined): { id: string; field: string } | undefined {
  const authorizing = authorizingUser(sub);
  if (authorizing || !sub) return authorizing;
  const field = USER_FIELDS.find((f) => typeof sub.condition[f] === 'string');
  return field ? { id: sub.condition[field] as string, field } : undefined;
}

/** Without hints: the scopes the catalog says the type needs (one per any-of group). */
function catalogScopes(sub: RevokedSubscription | undefined): string[] {
  const entry = sub && [sub.version, undefined].map((version) => tryFind(sub.type, version)).find(Boolean);
  return entry ? entry.scopes.map(preferredScope) : [];
}

function tryFind(type: string, version?: string): CatalogEntry | undefined {
  try {
    return findEntry(type, version);
  } catch {
    return undefined; // a type or version this catalog does not know
  }
}

function newerVersion(sub: RevokedSubscription | undefined, transport: RevocationTransport): string {
  const newest = sub && tryFind(sub.type)?.version;
  const then = transport === 'websocket' ? RESTART : SYNC;
  if (!sub || !newest || newest === sub.version) {
    return `no newer version${sub ? ` of ${sub.type}` : ''} is known to this eventsub-relay: update it (see \`eventsub-relay types\`), then ${then}`;
  }
  if (transport === 'websocket') {
    return `set version "${newest}" in the config file entry (or remove its version: the newest is used), then ${RESTART}`;
  }
  return `${SYNC} (recreates it as v${newest}; if the config file entry pins version "${sub.version}", change it to "${newest}" or remove it)`;
}
