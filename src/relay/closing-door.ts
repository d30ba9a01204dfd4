/** What a request gets once the relay is stopping: a rejection, so the transport answers 503 and Twitch retries. */
export class RelayStoppingError extends Error {
  constructor() {
    super('the relay is stopping; the event was not stored (Twitch retries it)');
    this.name = 'RelayStoppingError';
  }
}

/**
 * The intake as the HTTP handlers see it. Closing it refuses new events and waits for the ones in
 * flight, so the store behind it closes with no write half done, even when the handlers are
 * mounted in an app's own server that the relay cannot close.
 */
export function closingDoor<Envelope, Outcome>(intake: {
  accept(envelope: Envelope): Promise<Outcome>;
}): { accept(envelope: Envelope): Promise<Outcome>; close(): Promise<void> } {
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;
  return {
    accept(envelope) {
      if (closed) return Promise.reject(new RelayStoppingError());
      const accepted = intake.accept(envelope);
      const settled = accepted.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return accepted;
    },
    async close() {
      closed = true;
      await Promise.all(inFlight);
    },
  };
}
