import { createServer } from 'node:http';

/** One request the consumer got: its webhook-id (the Twitch message id) and what it answered. */
export interface ConsumerRequest {
  id: string;
  status: number;
}

/**
 * A real HTTP consumer that can be "down" (answers 503 with a short body, as a bot restarting
 * behind a proxy would) or "up" (204). It records every request in the order it arrived.
 */
export interface SwitchableConsumer {
  url: string;
  up: boolean;
  readonly requests: readonly ConsumerRequest[];
  /** Ids the consumer accepted (204), in order. */
  accepted(): string[];
  close(): Promise<void>;
}

export async function startSwitchableConsumer(startUp = true): Promise<SwitchableConsumer> {
  const requests: ConsumerRequest[] = [];
  const state = { up: startUp };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = state.up ? 204 : 503;
      requests.push({ id: String(req.headers['webhook-id']), status });
      if (status === 204) res.writeHead(204).end();
      else res.writeHead(503, { 'Content-Type': 'text/plain' }).end('bot is restarting');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    get up() {
      return state.up;
    },
    set up(value: boolean) {
      state.up = value;
    },
    requests,
    accepted: () => requests.filter((r) => r.status === 204).map((r) => r.id),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
