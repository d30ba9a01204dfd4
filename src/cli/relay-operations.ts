import type {
  DoctorFinding,
  RelayOperations,
  SubscribeOutcome,
  SubscribeRequest,
  TwitchSubscriptionsView,
} from '../admin/operations.js';
import { subscriptionsForAdvice } from '../config/relay-config.js';
import { callbackUrl } from '../subscriptions/callback-url.js';
import { createPrepared } from '../subscriptions/create.js';
import { prepareSubscription } from '../subscriptions/prepare.js';
import { planSyncRun } from './sync-run.js';
import { openTwitchContext, prepareContext, subscriptionSecret } from './twitch-context.js';
import { refuseUnderWebSocket } from './webhook-only.js';

/** How long each of doctor's network checks may wait when the dashboard runs it. */
const DOCTOR_TIMEOUT_MS = 5000;

/**
 * The Twitch-facing operations of `sync`, `subscribe` and `doctor`, run inside the relay with the
 * environment `serve` was started with: the dashboard and the CLI's acting commands see the
 * relay's real configuration (its FORWARD_URL, CONFIG_FILE, DATA_DIR), not their own.
 * A Twitch context is opened per call, so tokens authorized since the start are used.
 */
export function createRelayOperations(env: NodeJS.ProcessEnv): RelayOperations {
  return {
    async syncPlan(options) {
      return (await planSyncRun(openTwitchContext(env), options)).report;
    },
    async syncApply(options) {
      const run = await planSyncRun(openTwitchContext(env), options);
      const applied: string[] = [];
      await run.apply((line) => applied.push(line));
      return { ...run.report, applied };
    },
    doctor: () => runDoctor(env),
    twitchSubscriptions: () => twitchSubscriptions(env),
    subscribe: (request) => subscribe(env, request),
  };
}

async function runDoctor(env: NodeJS.ProcessEnv): Promise<DoctorFinding[]> {
  // Loaded here: the checks bring the sink kinds and Twitch clients, needed only when asked.
  const { allChecks } = await import('./commands/doctor/checks.js');
  const { runChecks } = await import('./commands/doctor/runner.js');
  const state: import('./commands/doctor/check.js').DoctorState = {
    options: { timeoutMs: DOCTOR_TIMEOUT_MS },
  };
  try {
    return await runChecks(allChecks(env), state, DOCTOR_TIMEOUT_MS * 4);
  } finally {
    await state.store?.close();
  }
}

async function twitchSubscriptions(env: NodeJS.ProcessEnv): Promise<TwitchSubscriptionsView> {
  const ctx = openTwitchContext(env);
  const listing = await ctx.twitch.listAll();
  return {
    twitch: listing.subscriptions.map((s) => ({
      id: s.id,
      status: s.status,
      type: s.type,
      version: s.version,
      condition: s.condition,
      ...(s.method && { method: s.method }),
      ...(s.callback && { callback: s.callback }),
      cost: s.cost,
      createdAt: s.createdAt,
    })),
    total: listing.total,
    totalCost: listing.totalCost,
    maxTotalCost: listing.maxTotalCost,
    config: subscriptionsForAdvice(ctx.config).map((e) => ({
      type: e.type,
      ...(e.version && { version: e.version }),
      broadcaster: e.broadcaster,
      condition: e.condition,
    })),
    authorized: ctx.tokens.all().map((t) => ({ userId: t.userId, login: t.login, scopes: t.scope })),
  };
}

/** `eventsub-relay subscribe` for the dashboard: one subscription on this relay's callback. */
async function subscribe(env: NodeJS.ProcessEnv, request: SubscribeRequest): Promise<SubscribeOutcome> {
  const ctx = openTwitchContext(env);
  refuseUnderWebSocket(ctx.config, 'subscribe');
  const callback = callbackUrl(ctx.config.webhook.publicUrl, Boolean(request.allowInsecureCallback));
  const advice = prepareContext(ctx, subscriptionsForAdvice(ctx.config));
  const prepared = await prepareSubscription(
    {
      type: request.type,
      broadcaster: request.broadcaster,
      condition: request.condition,
      ...(request.version && { version: request.version }),
    },
    advice,
  );
  const outcome = await createPrepared(
    ctx.twitch,
    prepared,
    { callback, secret: subscriptionSecret(ctx) },
    advice,
  );
  const { wanted } = prepared;
  if ('exists' in outcome)
    return {
      created: false,
      message: `already subscribed: ${wanted.type} v${wanted.version} ${JSON.stringify(wanted.condition)} exists on Twitch`,
    };
  const { created } = outcome;
  return {
    created: true,
    id: created.id,
    status: created.status,
    message: `created ${created.type} v${created.version} ${JSON.stringify(created.condition)}: status ${created.status}, cost ${created.cost}`,
  };
}
