import type { Router } from 'express';
import { z } from 'zod';
import { CATALOG } from '../../twitch/catalog.js';
import { describeAuthorizedBy } from '../../twitch/catalog-entry.js';
import { sampleEvent } from '../../twitch/samples/index.js';
import { knownSampleKeys } from '../../twitch/samples/sample-overrides.js';
import type { RelayOperations } from '../operations.js';
import { sendJsonError } from '../admin-errors.js';
import { needsOperations, operationFailed } from './sync.js';

/** The catalog as the Subscriptions and Test pages use it; computed once, it never changes. */
const catalogView = () =>
  CATALOG.map((entry) => {
    let editable: { key: string; describe: string }[] = [];
    try {
      editable = knownSampleKeys(sampleEvent(entry.type, entry.version, {}), entry.type);
    } catch {
      editable = []; // a type without a sample cannot be sent from the Test page
    }
    return {
      type: entry.type,
      version: entry.version,
      condition: entry.condition,
      authorizedBy: entry.authorizedBy,
      authorizedByText: describeAuthorizedBy(entry),
      scopes: entry.scopes,
      editable,
      ...(entry.note && { note: entry.note }),
    };
  });

const subscribeSchema = z.strictObject({
  type: z.string().min(1).max(100),
  version: z.string().max(10).optional(),
  broadcaster: z.string().min(1).max(50).optional(),
  condition: z.record(z.string().regex(/^[a-z_]{1,50}$/), z.string().max(100)).default({}),
  allowInsecureCallback: z.boolean().default(false),
});

/** `GET /api/catalog`, `GET /api/subscriptions` (Twitch's view and the config's), `POST /api/subscriptions`. */
export function registerSubscriptionRoutes(router: Router, operations: RelayOperations | undefined): void {
  let catalog: ReturnType<typeof catalogView> | undefined;
  router.get('/catalog', (_req, res) => {
    catalog ??= catalogView();
    res.json({ types: catalog });
  });
  router.get('/subscriptions', async (_req, res) => {
    if (!needsOperations(operations, res)) return;
    try {
      res.json(await operations.twitchSubscriptions());
    } catch (error) {
      operationFailed(res, error);
    }
  });
  router.post('/subscriptions', async (req, res) => {
    const parsed = subscribeSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return sendJsonError(res, 400, 'bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    if (!needsOperations(operations, res)) return;
    try {
      const outcome = await operations.subscribe(parsed.data);
      res.status(outcome.created ? 201 : 200).json(outcome);
    } catch (error) {
      operationFailed(res, error);
    }
  });
}
