import type { AcceptOutcome, Intake } from '../../intake/port.js';
import type { Logger } from '../../observability/logger.js';
import type { Envelope } from '../../twitch/envelope.js';

/** Waits between tries when the store cannot take an event (it is held in memory meanwhile). */
const RETRY_DELAYS_MS = [100, 500, 2000, 5000];

/**
 * Hands WebSocket events to the intake. Twitch does not resend what a WebSocket client missed, so
 * a store that fails a write (disk full, PostgreSQL restarting) gets a few more tries over about
 * eight seconds before the event is given up — logged at error with its id. `drain()` waits for
 * every event still on its way, so a shutdown never closes the store under one.
 */
export class IntakeFeeder {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly intake: Intake,
    private readonly logger: Logger,
    private readonly onOutcome: (envelope: Envelope, outcome: AcceptOutcome | 'lost') => void,
  ) {}

  feed(envelope: Envelope): void {
    const done: Promise<void> = this.accept(envelope).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async accept(envelope: Envelope): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await this.intake.accept(envelope);
        this.logger.debug(
          { messageId: envelope.id, type: envelope.type, messageType: envelope.messageType, outcome },
          `${envelope.messageType} received over WebSocket`,
        );
        this.onOutcome(envelope, outcome);
        return;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          this.logger.error(
            { messageId: envelope.id, type: envelope.type, err: error },
            `could not store ${envelope.type} (message ${envelope.id}) after ${attempt + 1} tries: the event is lost ` +
              '(Twitch does not resend WebSocket events); check disk space and STORE_URL',
          );
          this.onOutcome(envelope, 'lost');
          return;
        }
        this.logger.warn(
          { messageId: envelope.id, err: error, retryInMs: delay },
          `the store could not take ${envelope.type} (message ${envelope.id}); trying again in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
