import type { Response, Router } from 'express';
import { z } from 'zod';
import type { RelayOperations } from '../operations.js';
import { sendJsonError } from '../admin-errors.js';

const syncSchema = z.strictObject({
  prune: z.boolean().default(false),
  rotateSecret: z.boolean().default(false),
  allowInsecureCallback: z.boolean().default(false),
  /** Apply even when the plan deletes or recreates subscriptions (the page asks first). */
  yes: z.boolean().default(false),
});

/** 501 when the relay was started without operations (embedded); true when the caller may go on. */
export function needsOperations(
  operations: RelayOperations | undefined,
  res: Response,
): operations is RelayOperations {
  if (operations) return true;
  sendJsonError(
    res,
    501,
    'not_available',
    'this relay was started without its Twitch operations (it is embedded, not `eventsub-relay serve`)',
  );
  return false;
}

/** The message meant for a person from an error (our errors carry it as `userMessage`). */
function messageOf(error: unknown): string {
  const userMessage = (error as { userMessage?: unknown } | null)?.userMessage;
  if (typeof userMessage === 'string') return userMessage;
  return error instanceof Error ? error.message : String(error);
}

/** A Twitch or configuration problem the operation reported: 502 with its message and fix. */
export function operationFailed(res: Response, error: unknown): void {
  sendJsonError(res, 502, 'operation_failed', messageOf(error));
}

/** `POST /api/sync/plan` and `POST /api/sync/apply`: `sync --dry-run` and `sync` with the relay's config. */
export function registerSyncRoutes(router: Router, operations: RelayOperations | undefined): void {
  const parse = (body: unknown, res: Response) => {
    const parsed = syncSchema.safeParse(body ?? {});
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    sendJsonError(res, 400, 'bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    return undefined;
  };
  router.post('/sync/plan', async (req, res) => {
    const options = parse(req.body, res);
    if (!options || !needsOperations(operations, res)) return;
    try {
      res.json(await operations.syncPlan(options));
    } catch (error) {
      operationFailed(res, error);
    }
  });
  router.post('/sync/apply', async (req, res) => {
    const options = parse(req.body, res);
    if (!options || !needsOperations(operations, res)) return;
    try {
      const plan = await operations.syncPlan(options);
      if (plan.destructive > 0 && !options.yes)
        return void res.status(409).json({
          error: 'confirm',
          message: `the plan deletes or recreates ${plan.destructive} subscription(s): send "yes": true to apply it`,
          plan,
        });
      res.json(await operations.syncApply(options));
    } catch (error) {
      operationFailed(res, error);
    }
  });
}
