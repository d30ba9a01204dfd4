import type { Command } from 'commander';
import type { AuthorizedBy } from '../../twitch/catalog-entry.js';
import { renderTable } from '../table.js';
import { JSON_HELP } from '../cli-notes.js';

/** Short "whose authorization" labels for the table; the legend below it explains them. */
const WHO: Record<AuthorizedBy, string> = {
  broadcaster: 'broadcaster',
  moderator: 'moderator',
  user: 'user_id',
  none: '-',
  app: 'app token',
};

const LEGEND = `AUTHORIZED BY: whose authorization Twitch checks — broadcaster = the user in broadcaster_user_id;
moderator = the user in moderator_user_id (the broadcaster or one of their moderators); user_id = the
user in user_id; app token = our app access token alone (client_id conditions default to TWITCH_CLIENT_ID);
- = nobody. That user must have granted our client id the SCOPES (a|b = either, + = all groups).
`;

/** `eventsub-relay types`: the subscription-type catalog (type, version, condition, whose authorization, scopes). */
export function registerTypes(program: Command): void {
  program
    .command('types')
    .description(
      'list every EventSub type this relay can subscribe to over webhooks: condition fields, whose authorization, required scopes',
    )
    .option('--json', JSON_HELP)
    .action(async (options: { json?: boolean }) => {
      // Loaded here, not at the top: the other commands' start does not pay for the catalog.
      const { CATALOG } = await import('../../twitch/catalog.js');
      if (options.json) return void process.stdout.write(JSON.stringify(CATALOG, null, 2) + '\n');
      const rows = CATALOG.map((e) => [
        e.type,
        e.version,
        e.condition.map((f) => f.name + (f.optional ? '?' : '')).join(','),
        WHO[e.authorizedBy],
        e.scopes.length ? e.scopes.map((g) => g.join('|')).join(' + ') : '-',
      ]);
      process.stdout.write(renderTable(['TYPE', 'VERSION', 'CONDITION', 'AUTHORIZED BY', 'SCOPES'], rows));
      process.stdout.write(`${CATALOG.length} type/versions; "?" marks an optional condition field.\n\n`);
      process.stdout.write(LEGEND);
      const notes = new Map<string, string[]>();
      for (const e of CATALOG) if (e.note) notes.set(e.note, [...(notes.get(e.note) ?? []), e.type]);
      process.stdout.write('\nAlso required:\n');
      for (const [note, types] of notes) process.stdout.write(`  ${types.join(', ')}: ${note}\n`);
    });
}
