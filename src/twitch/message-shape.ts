/**
 * The shapes of the webhook messages the relay stores, checked by hand on JSON.parse's result: the
 * common case (a well-formed notification or revocation) builds nothing, where a zod schema builds a
 * copy of the checked object for every request. These accept exactly what the zod schemas in
 * message-schemas.ts accept; when they refuse, the caller runs the schema for its message (the path
 * to the problem). A test holds the two to the same answers.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** `subscriptionSchema`: id, type and version non-empty strings, status a string if present, condition an object. */
export function isSubscriptionShape(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return (
    isNonEmptyString(value.id) &&
    isNonEmptyString(value.type) &&
    isNonEmptyString(value.version) &&
    (value.status === undefined || typeof value.status === 'string') &&
    isRecord(value.condition)
  );
}

/** `notificationBodySchema`: a subscription and an `event` object. */
export function isNotificationShape(body: unknown): boolean {
  return isRecord(body) && isSubscriptionShape(body.subscription) && isRecord(body.event);
}

/** `revocationBodySchema`: a subscription. */
export function isRevocationShape(body: unknown): boolean {
  return isRecord(body) && isSubscriptionShape(body.subscription);
}
