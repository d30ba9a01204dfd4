import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** One request that passed Standard Webhooks verification. */
export interface VerifiedRequest {
  id: string;
  /** The URL path it came in on: tests give each replica its own path to see who sent what. */
  path: string;
}

/**
 * An HTTP consumer that verifies every request (standardwebhooks) and, unlike the example consumer,
 * does not deduplicate: it records every verified request, so a test can count deliveries per webhook-id.
 */
export interface CountingConsumer {
  /** The consumer's URL for `path` (e.g. `/a`). */
  url(path: string): string;
  readonly requests: readonly VerifiedRequest[];
  /** Verified requests per webhook-id. */
  counts(): Map<string, number>;
  readonly rejected: number;
  close(): Promise<void>;
}

/** Starts the consumer on a free 127.0.0.1 port; it answers 204 to every verified request. */
export async function startCountingConsumer(secret: string): Promise<CountingConsumer> {
  const webhook = new Webhook(secret);
  const requests: VerifiedRequest[] = [];
  let rejected = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        webhook.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
      } catch {
        rejected++;
        res.writeHead(401).end();
        return;
      }
      requests.push({ id: String(req.headers['webhook-id']), path: req.url ?? '' });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    counts: () => {
      const counts = new Map<string, number>();
      for (const { id } of requests) counts.set(id, (counts.get(id) ?? 0) + 1);
      return counts;
    },
    get rejected() {
      return rejected;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
