import type { LoginAdviceContext } from './login-advice.js';
import { explainForbidden } from './forbidden.js';
import type { PreparedSubscription } from './prepare.js';
import type { RemoteSubscription, TwitchSubscriptions } from './twitch-api.js';
import { TwitchCallError } from './twitch-errors.js';

/** Created, or it already existed on Twitch (409: the state we want, not an error). */
export type CreateOutcome = { created: RemoteSubscription } | { exists: true };

/**
 * Creates a prepared subscription with the options its catalog row needs (batching), turning a
 * 409 into `exists` and a 403 into advice naming the type, scopes, user and fix command.
 */
export async function createPrepared(
  twitch: TwitchSubscriptions,
  prepared: PreparedSubscription,
  transport: { callback: string; secret: string },
  advice: LoginAdviceContext,
): Promise<CreateOutcome> {
  const { type, version, condition } = prepared.wanted;
  try {
    return {
      created: await twitch.create(type, version, condition, transport, Boolean(prepared.entry.batching)),
    };
  } catch (error) {
    if (error instanceof TwitchCallError && error.endpoint === 'helix') {
      if (error.status === 409) return { exists: true };
      if (error.status === 403) throw explainForbidden(prepared, error.detail, advice);
    }
    throw error;
  }
}
