/**
 * What a sample event may vary: the broadcaster it is for (`trigger --broadcaster`) and, for the
 * app-token types whose condition names an application, its client id.
 */
export interface SampleContext {
  broadcasterId: string;
  clientId: string;
}

/** The ids the samples use when nothing is given: Twitch's docs examples use broadcaster 1337. */
export const DEFAULT_SAMPLE_CONTEXT: SampleContext = {
  broadcasterId: '1337',
  clientId: 'crq72vsaoijkc83xx42hz6i37',
};

/** One sample: the `event` object of a notification, as Twitch documents it for that type and version. */
export type EventSample = (context: SampleContext) => Record<string, unknown>;

/**
 * A sample table: `type@version` → the event. A batched type (drop.entitlement.grant) gives the
 * items of its `events` array instead, each `{ id, data }`.
 */
export type SampleTable = Readonly<Record<string, EventSample>>;

/** Twitch's id / login / display-name triple for one user, e.g. who('broadcaster_user', …). */
export function who(prefix: string, id: string, login: string, name = login): Record<string, string> {
  return { [`${prefix}_id`]: id, [`${prefix}_login`]: login, [`${prefix}_name`]: name };
}

/** A chat message as Twitch sends it in chat and AutoMod events: text fragments only. */
export function textMessage(text: string): { text: string; fragments: Record<string, unknown>[] } {
  return { text, fragments: [{ type: 'text', text, cheermote: null, emote: null }] };
}
