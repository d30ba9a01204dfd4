/** What a revocation status means and what the user should do about it (Twitch docs, "Revoking your subscription"). */
export const revocationAdvice: Record<string, string> = {
  authorization_revoked:
    'the broadcaster (or a moderator) revoked the authorization for this client id: ask them to authorize again with `eventsub-relay auth login`, then `eventsub-relay sync`',
  user_removed:
    'the user in the condition no longer exists (account deleted or banned); remove it from your subscriptions list',
  notification_failures_exceeded:
    'Twitch gave up because this callback answered too slowly or with errors; check the service and nginx are reachable, then `eventsub-relay sync` to recreate it',
  version_removed:
    'Twitch retired this subscription version; `eventsub-relay sync` recreates it with the newest version',
  beta_maintenance:
    'Twitch is doing maintenance on this beta type; recreate it later with `eventsub-relay sync`',
  moderator_removed:
    'the moderator in the condition lost moderator status; re-authorize with a current moderator',
};

/** Advice for a revocation status, with a generic fallback for statuses Twitch adds later. */
export function adviceForRevocation(status: string | undefined): string {
  return (
    (status && revocationAdvice[status]) ??
    'check the subscription with `eventsub-relay list` and recreate it with `eventsub-relay sync`'
  );
}
