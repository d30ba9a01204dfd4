import { AuthSetupError } from '../../auth/auth-errors.js';
import { ConduitApi } from '../../subscriptions/conduit-api.js';
import { rememberConduitId, rememberedConduitId } from '../../subscriptions/conduit-memory.js';
import {
  checkCost,
  planConduit,
  planConduitSubscriptions,
  shardDisabledSubscription,
  type ConduitStep,
} from '../../subscriptions/conduit-sync.js';
import { prepareSubscription, type PreparedSubscription } from '../../subscriptions/prepare.js';
import { conditionKey, type PlanStep } from '../../subscriptions/sync-plan.js';
import type { SyncStepReport } from '../../admin/operations.js';
import { planReport, stepReport, type SyncRun } from '../sync-report.js';
import { TwitchCallError } from '../../subscriptions/twitch-errors.js';
import { prepareContext, type TwitchContext } from '../twitch-context.js';

export interface ConduitSyncOptions {
  prune?: boolean;
}

function describeConduit(step: ConduitStep): string {
  switch (step.action) {
    case 'create':
      return `+ create   conduit with ${step.shards} shard(s)`;
    case 'keep':
      return `= keep     conduit ${step.conduit.id} (${step.conduit.shardCount} shard(s))`;
    case 'grow':
      return `~ grow     conduit ${step.conduit.id} from ${step.conduit.shardCount} to ${step.shards} shard(s)`;
  }
}

/**
 * `sync` with TRANSPORT=conduit: plans the conduit (create, keep or grow to `conduit.shards`) and
 * its subscriptions (the config file's list plus `conduit.shard.disabled` for the conduit),
 * checks Twitch's limits (5 conduits, the cost budget) before changing anything; applying
 * creates with `transport: {method: conduit, conduit_id}` and the app token, adopts an existing
 * one on 409, deletes the conduit's other subscriptions with --prune.
 */
export async function planConduitSync(ctx: TwitchContext, options: ConduitSyncOptions): Promise<SyncRun> {
  const { file, dataDir } = ctx.config;
  if (!file.path)
    throw new AuthSetupError(
      'no config file: create ./eventsub-relay.yml with `conduit: { shards: 1 }` and a `subscriptions:` list, or set CONFIG_FILE',
    );
  const settings = file.conduit ?? { shards: 1 };
  const api = new ConduitApi(
    () => ctx.twitch.api(),
    (message) => process.stderr.write(`${message}\n`),
  );
  const advice = prepareContext(ctx, file.subscriptions);
  const prepared: PreparedSubscription[] = [];
  for (const entry of file.subscriptions) prepared.push(await prepareSubscription({ ...entry }, advice));

  const conduitStep = planConduit(settings, settings.id ?? rememberedConduitId(dataDir), await api.list());
  const conduitId = conduitStep.action === 'create' ? undefined : conduitStep.conduit.id;
  const health = shardDisabledSubscription(ctx.credentials.clientId, conduitId ?? '(new)');
  const listing = await ctx.twitch.listAll();
  const steps = planConduitSubscriptions(
    [...prepared.map((p) => p.wanted), health],
    listing.subscriptions,
    conduitId,
    Boolean(options.prune),
  );
  checkCost(steps, listing);

  const changes = steps.filter((s) => s.action !== 'keep');
  const total = changes.length + (conduitStep.action === 'keep' ? 0 : 1);
  const conduitLine: SyncStepReport = {
    action: conduitStep.action === 'grow' ? 'grow' : conduitStep.action,
    type: 'conduit',
    version: '',
    condition: {},
    line: describeConduit(conduitStep),
    ...(conduitId && { existingId: conduitId }),
  };
  const report = planReport(
    `plan for the conduit (from ${file.path}):`,
    [conduitLine, ...steps.map(stepReport)],
    total,
  );
  const byKey = new Map(prepared.map((p) => [conditionKey(p.wanted.type, p.wanted.condition), p]));
  return {
    report,
    async apply(out) {
      const id = await applyConduit(api, conduitStep, dataDir, out);
      for (const step of changes) await applyStep(ctx, api, id, step, byKey, out);
    },
  };
}

async function applyConduit(
  api: ConduitApi,
  step: ConduitStep,
  dataDir: string,
  out: (line: string) => void,
): Promise<string> {
  if (step.action === 'keep') return step.conduit.id;
  if (step.action === 'grow') {
    await api.resize(step.conduit.id, step.shards);
    out(`  grew conduit ${step.conduit.id} to ${step.shards} shard(s)`);
    return step.conduit.id;
  }
  const created = await api.create(step.shards);
  rememberConduitId(dataDir, created.id);
  out(
    `  created conduit ${created.id} with ${created.shardCount} shard(s) (kept in DATA_DIR/conduit.json; ` +
      `relays with another DATA_DIR need \`conduit: { id: ${created.id} }\` in their config file)`,
  );
  return created.id;
}

async function applyStep(
  ctx: TwitchContext,
  api: ConduitApi,
  conduitId: string,
  step: PlanStep,
  byKey: Map<string, PreparedSubscription>,
  out: (line: string) => void,
): Promise<void> {
  if (step.action === 'delete' || step.action === 'recreate') {
    await ctx.twitch.delete(step.existing.id);
    if (step.action === 'delete') return out(`  deleted ${step.existing.id}`);
  }
  if (step.action === 'keep') return;
  const { type, version } = step.wanted;
  // The health subscription is written with the conduit's id once it exists.
  const wanted =
    type === 'conduit.shard.disabled'
      ? shardDisabledSubscription(ctx.credentials.clientId, conduitId)
      : step.wanted;
  const entry = byKey.get(conditionKey(type, step.wanted.condition))?.entry;
  try {
    const created = await api.subscribe(conduitId, wanted, Boolean(entry?.batching));
    out(`  created ${type} v${version}: ${created.id} (${created.status})`);
  } catch (error) {
    // 409: it exists on the conduit already (another relay or sync made it): the state we want.
    if (!(error instanceof TwitchCallError && error.status === 409)) throw error;
    out(`  exists ${type} v${version}`);
  }
}
