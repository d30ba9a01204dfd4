import type { Request, Router } from 'express';
import { z } from 'zod';
import { findEntry, UnknownTypeError } from '../../twitch/catalog-lookup.js';
import { SampleOverrideError } from '../../twitch/samples/sample-overrides.js';
import { sampleMessages } from '../test-events/sample-messages.js';
import { sendTestMessages } from '../test-events/send-test-events.js';
import { sendJsonError } from '../admin-errors.js';

/** `POST /api/trigger`: what the dashboard's Test page and `eventsub-relay trigger` send. */
const testEventSchema = z.strictObject({
  type: z.string().min(1).max(100),
  version: z.string().max(10).optional(),
  kind: z.enum(['notification', 'revocation', 'challenge']).default('notification'),
  count: z.number().int().min(1).max(100).default(1),
  broadcaster: z
    .string()
    .regex(/^\d{1,20}$/, 'must be a Twitch user id (digits)')
    .optional(),
  /** Changes to the sample event, as `trigger --set key=value` (user, bits, viewers, message …). */
  set: z
    .array(z.strictObject({ key: z.string().min(1).max(100), value: z.string().max(500) }))
    .max(30)
    .default([]),
});

export type TestEventRequest = z.input<typeof testEventSchema>;

export interface TriggerRouteDeps {
  /** The EventSub secret the relay verifies with now (the first of its secrets). */
  secret(): string;
  /** Written into the samples' client id (TWITCH_CLIENT_ID), when the relay has one. */
  clientId?: string;
}

/**
 * The listener this request came in on, as an origin: the test event goes through the same
 * listener's /callback, like Twitch's would, and is verified, stored and delivered like one.
 */
function ownCallback(req: Request): string {
  const { localAddress, localPort } = req.socket;
  const host = (localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return `http://${host.includes(':') ? `[${host}]` : host}:${localPort}/callback`;
}

/** Signed sample events of any catalog type through the relay's own /callback. */
export function registerTriggerRoutes(router: Router, deps: TriggerRouteDeps): void {
  router.post('/trigger', async (req, res) => {
    const parsed = testEventSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return sendJsonError(res, 400, 'bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const { type, version, kind, count, broadcaster, set } = parsed.data;
    if (set.length > 0 && kind !== 'notification')
      return sendJsonError(
        res,
        400,
        'bad_request',
        'set changes the event of a notification; a revocation or challenge has none',
      );
    let entry;
    try {
      entry = findEntry(type, version);
    } catch (error) {
      if (error instanceof UnknownTypeError)
        return sendJsonError(res, 400, 'unknown_type', error.userMessage);
      throw error;
    }
    let messages;
    try {
      messages = sampleMessages(entry, kind, count, {
        ...(broadcaster && { broadcasterId: broadcaster }),
        ...(deps.clientId && { clientId: deps.clientId }),
        overrides: set,
      });
    } catch (error) {
      if (error instanceof SampleOverrideError)
        return sendJsonError(res, 400, 'bad_override', error.userMessage);
      throw error;
    }
    const url = ownCallback(req);
    const results = await sendTestMessages({ url, secret: deps.secret() }, messages);
    res.json({ url, results });
  });
}
