/**
 * The `subscription` object of Twitch's messages (webhook bodies and WebSocket payloads alike), in
 * Twitch's own snake_case. Only the fields the relay relies on are required; everything else is
 * kept as sent. The bodies themselves are checked by the schemas in message-schemas.ts.
 */
export interface SubscriptionExternal {
  id: string;
  type: string;
  version: string;
  status?: string;
  cost?: number;
  condition: Record<string, unknown>;
  transport?: Record<string, unknown>;
  created_at?: string;
  [extra: string]: unknown;
}
