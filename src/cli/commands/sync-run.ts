import { AuthSetupError } from '../../auth/auth-errors.js';
import { callbackUrl } from '../../subscriptions/callback-url.js';
import { createPrepared } from '../../subscriptions/create.js';
import type { LoginAdviceContext } from '../../subscriptions/login-advice.js';
import { prepareSubscription, type PreparedSubscription } from '../../subscriptions/prepare.js';
import {
  conditionKey,
  describeStep,
  planSync,
  type PlanStep,
  type WantedSubscription,
} from '../../subscriptions/sync-plan.js';
import { confirm } from '../confirm.js';
import {
  openTwitchContext,
  prepareContext,
  subscriptionSecret,
  type TwitchContext,
} from '../twitch-context.js';
import { refuseUnderWebSocket } from '../webhook-only.js';
import { syncConduit } from './sync-conduit.js';

export interface SyncOptions {
  dryRun?: boolean;
  prune?: boolean;
  rotateSecret?: boolean;
  allowInsecureCallback?: boolean;
  yes?: boolean;
}

/** `sync`: the plan from the config file against Twitch's list, printed, then applied. */
export async function sync(options: SyncOptions): Promise<void> {
  const ctx = openTwitchContext();
  // TRANSPORT=conduit: the subscriptions belong to the conduit, not to PUBLIC_URL/callback.
  if (ctx.config.transport === 'conduit') return syncConduit(ctx, options);
  refuseUnderWebSocket(ctx.config, 'eventsub-relay sync');
  const { file } = ctx.config;
  if (!file.path)
    throw new AuthSetupError(
      'no config file: create ./eventsub-relay.yml with a `subscriptions:` list, or set CONFIG_FILE',
    );
  const desired = file.subscriptions;
  const callback = callbackUrl(ctx.config.webhook.publicUrl, Boolean(options.allowInsecureCallback));
  const advice = prepareContext(ctx, desired);
  const prepared: PreparedSubscription[] = [];
  for (const entry of desired) prepared.push(await prepareSubscription({ ...entry }, advice));
  const wanted: WantedSubscription[] = prepared.map((p) => p.wanted);
  const { subscriptions } = await ctx.twitch.listAll();
  const plan = planSync(wanted, subscriptions, {
    callback,
    prune: Boolean(options.prune),
    rotateSecret: Boolean(options.rotateSecret),
  });
  const changes = plan.filter((s) => s.action !== 'keep');
  process.stdout.write(`plan for ${callback} (from ${file.path}):\n`);
  for (const step of plan) process.stdout.write(`  ${describeStep(step)}\n`);
  if (changes.length === 0)
    return void process.stdout.write('nothing to do: Twitch already matches the config\n');
  if (options.dryRun)
    return void process.stdout.write(`${changes.length} change(s) planned; run without --dry-run to apply\n`);
  const destructive = changes.filter((s) => s.action !== 'create').length;
  if (
    destructive > 0 &&
    !(await confirm(`delete or recreate ${destructive} subscription(s)?`, options.yes))
  ) {
    return void process.stdout.write('nothing changed\n');
  }
  const byKey = new Map(prepared.map((p) => [conditionKey(p.wanted.type, p.wanted.condition), p]));
  for (const step of changes) await apply(ctx, step, { callback, byKey, advice });
  process.stdout.write(`applied ${changes.length} change(s)\n`);
}

interface ApplyContext {
  callback: string;
  /** The prepared subscription behind each wanted one, by conditionKey (catalog row, broadcaster). */
  byKey: Map<string, PreparedSubscription>;
  advice: LoginAdviceContext;
}

async function apply(ctx: TwitchContext, step: PlanStep, apply: ApplyContext): Promise<void> {
  if (step.action === 'delete' || step.action === 'recreate') await ctx.twitch.delete(step.existing.id);
  if (step.action === 'create' || step.action === 'recreate') {
    const { type, version, condition } = step.wanted;
    const prepared = apply.byKey.get(conditionKey(type, condition))!;
    const transport = { callback: apply.callback, secret: subscriptionSecret(ctx) };
    const outcome = await createPrepared(ctx.twitch, prepared, transport, apply.advice);
    // 409: it exists already (e.g. created concurrently) — that is the state we want.
    if ('exists' in outcome) return void process.stdout.write(`  exists ${type} v${version}\n`);
    process.stdout.write(
      `  created ${type} v${version}: ${outcome.created.id} (${outcome.created.status})\n`,
    );
  } else {
    process.stdout.write(`  deleted ${step.existing.id}\n`);
  }
}
