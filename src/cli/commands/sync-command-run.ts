import type { SyncApplyReport, SyncOptions, SyncPlanReport } from '../../admin/operations.js';
import { actingLocallyNote, findRunningRelay, type AdminClient } from '../admin-client.js';
import { confirm } from '../confirm.js';
import { cliEnvironment } from '../environment.js';
import { planSyncRun } from '../sync-run.js';
import { openTwitchContext } from '../twitch-context.js';

export interface SyncFlags {
  dryRun?: boolean;
  prune?: boolean;
  rotateSecret?: boolean;
  allowInsecureCallback?: boolean;
  yes?: boolean;
}

/** `sync`: through the running relay when there is one, else planned and applied from here. */
export async function sync(options: SyncFlags): Promise<void> {
  const env = cliEnvironment();
  // A running relay plans and applies with its own configuration (its .env, DATA_DIR, tokens).
  const lookup = await findRunningRelay(env);
  if (lookup.relay) return syncThroughRelay(lookup.relay, options);
  process.stderr.write(actingLocallyNote('sync', lookup.reason));
  const run = await planSyncRun(openTwitchContext(env), options);
  await printAndApply(run.report, options, (out) => run.apply(out));
}

const syncOptions = (flags: SyncFlags): SyncOptions => ({
  prune: Boolean(flags.prune),
  rotateSecret: Boolean(flags.rotateSecret),
  allowInsecureCallback: Boolean(flags.allowInsecureCallback),
});

async function syncThroughRelay(relay: AdminClient, flags: SyncFlags): Promise<void> {
  const plan = await relay.post<SyncPlanReport>('/sync/plan', syncOptions(flags));
  await printAndApply(plan, flags, async (out) => {
    const applied = await relay.post<SyncApplyReport>('/sync/apply', { ...syncOptions(flags), yes: true });
    for (const line of applied.applied) out(line);
  });
}

/** Prints the plan as `--dry-run` shows it; without --dry-run asks before deleting, then applies. */
async function printAndApply(
  plan: SyncPlanReport,
  flags: SyncFlags,
  apply: (out: (line: string) => void) => Promise<void>,
): Promise<void> {
  if (flags.dryRun || plan.changes === 0) return void process.stdout.write(plan.text);
  process.stdout.write([plan.heading, ...plan.steps.map((s) => `  ${s.line}`)].join('\n') + '\n');
  if (
    plan.destructive > 0 &&
    !(await confirm(`delete or recreate ${plan.destructive} subscription(s)?`, flags.yes))
  )
    return void process.stdout.write('nothing changed\n');
  await apply((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`applied ${plan.changes} change(s)\n`);
}
