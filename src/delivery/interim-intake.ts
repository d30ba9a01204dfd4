import type { Intake } from '../intake/port.js';
import type { Store } from '../store/store.js';
import type { Envelope } from '../twitch/envelope.js';
import { claimOnInsert } from './claim-on-insert.js';
import type { DeliveryWorker } from './delivery-worker.js';

/**
 * The Intake port built from what the relay has today: route the envelope to its sinks, then the
 * one store write that claims its deliveries (`claimOnInsert`), exactly as /callback does. This is
 * the single place the WebSocket transport's intake comes from until the real intake
 * (src/delivery/intake.ts) lands; switching is replacing this call where the relay is composed.
 */
export function interimIntake(
  store: Store,
  worker: DeliveryWorker,
  route: (envelope: Envelope) => readonly string[],
): Intake {
  const claiming = claimOnInsert(store, worker);
  return { accept: (envelope) => claiming.insertIfNew(envelope, route(envelope)) };
}
