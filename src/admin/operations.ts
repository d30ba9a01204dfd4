/**
 * What the admin API asks of whoever started the relay with a Twitch context: the `sync` plan and
 * its application, the `doctor` report, Twitch's view of the subscriptions, the scopes the stored
 * tokens hold. `eventsub-relay serve` provides them from its own configuration (the CLI owns that
 * logic); a relay embedded without them answers these routes 501.
 */
export interface RelayOperations {
  syncPlan(options: SyncOptions): Promise<SyncPlanReport>;
  syncApply(options: SyncOptions): Promise<SyncApplyReport>;
  doctor(): Promise<DoctorFinding[]>;
  twitchSubscriptions(): Promise<TwitchSubscriptionsView>;
  /** Creates one subscription from the catalog (as `subscribe`), on this relay's callback. */
  subscribe(request: SubscribeRequest): Promise<SubscribeOutcome>;
}

/** `sync`'s flags. */
export interface SyncOptions {
  prune?: boolean;
  rotateSecret?: boolean;
  allowInsecureCallback?: boolean;
}

/** One step of the plan: the line `sync` prints, and its parts for a page. */
export interface SyncStepReport {
  action: 'create' | 'keep' | 'recreate' | 'delete' | 'grow';
  type: string;
  version: string;
  condition: Record<string, string>;
  line: string;
  existingId?: string;
  status?: string;
}

/** The plan exactly as `sync --dry-run` prints it: a heading, one line per step, a closing line. */
export interface SyncPlanReport {
  heading: string;
  steps: SyncStepReport[];
  /** Steps that change something (create, delete, recreate, the conduit's create or grow). */
  changes: number;
  /** Changes that delete or recreate a subscription (the CLI asks before those). */
  destructive: number;
  /** The whole printout of `sync --dry-run`. */
  text: string;
}

export interface SyncApplyReport extends SyncPlanReport {
  /** One line per change made (`created …`, `deleted …`, `exists …`). */
  applied: string[];
}

/** One line of the doctor report (the CLI's `doctor --json` finding). */
export interface DoctorFinding {
  id: string;
  title: string;
  status: 'ok' | 'fail' | 'warn' | 'skip';
  detail: string;
  fix?: string;
  hard: boolean;
}

/** Twitch's subscriptions and the config file's list side by side, and what each user granted. */
export interface TwitchSubscriptionsView {
  twitch: {
    id: string;
    status: string;
    type: string;
    version: string;
    condition: Record<string, string>;
    method?: string;
    callback?: string;
    cost: number;
    createdAt: string;
  }[];
  total: number;
  totalCost: number;
  maxTotalCost: number;
  /** The config file's `subscriptions:` as written. */
  config: { type: string; version?: string; broadcaster?: string; condition: Record<string, string> }[];
  /** The users who authorized this app (DATA_DIR/tokens), with their scopes. */
  authorized: { userId: string; login: string; scopes: string[] }[];
}

export interface SubscribeRequest {
  type: string;
  version?: string;
  broadcaster?: string;
  condition: Record<string, string>;
  allowInsecureCallback?: boolean;
}

export interface SubscribeOutcome {
  created: boolean;
  id?: string;
  status?: string;
  message: string;
}
