import { AuthSetupError } from '../../auth/auth-errors.js';
import type { RemoteSubscription } from '../../subscriptions/twitch-api.js';
import { confirm } from '../confirm.js';
import { openTwitchContext } from '../twitch-context.js';

/** `unsubscribe`: the chosen subscriptions listed, confirmed, deleted. */
export async function unsubscribe(
  ids: string[],
  options: { type?: string; broadcaster?: string; all?: boolean; yes?: boolean },
): Promise<void> {
  if (ids.length === 0 && !options.type && !options.broadcaster && !options.all) {
    throw new AuthSetupError(
      'say what to delete: subscription ids, --type and/or --broadcaster, or --all (see `eventsub-relay list`)',
    );
  }
  const ctx = openTwitchContext();
  const { subscriptions } = await ctx.twitch.listAll();
  const userId = options.broadcaster ? (await ctx.resolveUser(options.broadcaster)).id : undefined;
  const chosen = subscriptions.filter((s) => {
    if (ids.length > 0) return ids.includes(s.id);
    if (options.all) return true;
    return (
      (!options.type || s.type === options.type) && (!userId || Object.values(s.condition).includes(userId))
    );
  });
  const unknown = ids.filter((id) => !subscriptions.some((s) => s.id === id));
  // Asked-for ids Twitch does not have are a failure (exit 1), even when the others get deleted.
  if (unknown.length > 0) {
    process.exitCode = 1;
    process.stderr.write(
      `eventsub-relay: not found on Twitch: ${unknown.join(', ')} — check the ids with \`eventsub-relay list\` (already deleted?)\n`,
    );
  }
  if (chosen.length === 0) return void process.stdout.write('nothing to delete\n');
  for (const s of chosen) process.stdout.write(`- ${describe(s)}\n`);
  if (!(await confirm(`delete ${chosen.length} subscription(s)?`, options.yes))) {
    return void process.stdout.write('nothing deleted\n');
  }
  for (const s of chosen) {
    await ctx.twitch.delete(s.id);
    process.stdout.write(`deleted ${s.id}\n`);
  }
}

function describe(s: RemoteSubscription): string {
  return `${s.id} ${s.type} v${s.version} ${JSON.stringify(s.condition)} (${s.status})`;
}
