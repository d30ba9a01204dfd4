import type { SyncOptions } from '../admin/operations.js';
import { AuthSetupError } from '../auth/auth-errors.js';
import { callbackUrl } from '../subscriptions/callback-url.js';
import { createPrepared } from '../subscriptions/create.js';
import type { LoginAdviceContext } from '../subscriptions/login-advice.js';
import { prepareSubscription, type PreparedSubscription } from '../subscriptions/prepare.js';
import { conditionKey, planSync, type PlanStep } from '../subscriptions/sync-plan.js';
import { planReport, stepReport, type SyncRun } from './sync-report.js';
import { prepareContext, subscriptionSecret, type TwitchContext } from './twitch-context.js';
import { refuseUnderWebSocket } from './webhook-only.js';

/** Plans the sync of `ctx`'s config file against Twitch (webhook or conduit) without changing anything. */
export async function planSyncRun(ctx: TwitchContext, options: SyncOptions): Promise<SyncRun> {
  if (ctx.config.transport === 'conduit') {
    // Loaded here: the conduit API is only for TRANSPORT=conduit.
    const { planConduitSync } = await import('./commands/sync-conduit.js');
    return planConduitSync(ctx, options);
  }
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
  const { subscriptions } = await ctx.twitch.listAll();
  const plan = planSync(
    prepared.map((p) => p.wanted),
    subscriptions,
    { callback, prune: Boolean(options.prune), rotateSecret: Boolean(options.rotateSecret) },
  );
  const changes = plan.filter((s) => s.action !== 'keep');
  const report = planReport(
    `plan for ${callback} (from ${file.path}):`,
    plan.map(stepReport),
    changes.length,
  );
  const byKey = new Map(prepared.map((p) => [conditionKey(p.wanted.type, p.wanted.condition), p]));
  return {
    report,
    async apply(out) {
      for (const step of changes) await applyStep(ctx, step, { callback, byKey, advice }, out);
    },
  };
}

interface ApplyContext {
  callback: string;
  /** The prepared subscription behind each wanted one, by conditionKey (catalog row, broadcaster). */
  byKey: Map<string, PreparedSubscription>;
  advice: LoginAdviceContext;
}

async function applyStep(
  ctx: TwitchContext,
  step: PlanStep,
  apply: ApplyContext,
  out: (line: string) => void,
): Promise<void> {
  if (step.action === 'delete' || step.action === 'recreate') await ctx.twitch.delete(step.existing.id);
  if (step.action === 'create' || step.action === 'recreate') {
    const { type, version, condition } = step.wanted;
    const prepared = apply.byKey.get(conditionKey(type, condition))!;
    const transport = { callback: apply.callback, secret: subscriptionSecret(ctx) };
    const outcome = await createPrepared(ctx.twitch, prepared, transport, apply.advice);
    // 409: it exists already (e.g. created concurrently) — that is the state we want.
    if ('exists' in outcome) return out(`  exists ${type} v${version}`);
    out(`  created ${type} v${version}: ${outcome.created.id} (${outcome.created.status})`);
  } else {
    out(`  deleted ${step.existing.id}`);
  }
}
