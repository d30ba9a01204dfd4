import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  defineSinkKind,
  DeliveryError,
  type Envelope,
  type HandlerModule,
  type Sink,
} from '../../src/index.js';
import { RelayHandlers } from '../../src/sinks/module/relay-api.js';

const packageRoot = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as {
  main: string;
  types: string;
};

describe('the package entry point (package.json main/types → src/index.ts)', () => {
  it('main and types name files the build produces, and main exports the runtime helpers', async () => {
    // npm test builds first (pretest), so dist/ is current.
    expect(existsSync(new URL(pkg.main, packageRoot))).toBe(true);
    expect(existsSync(new URL(pkg.types, packageRoot))).toBe(true);
    const built = (await import(new URL(pkg.main, packageRoot).href)) as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual([
      'CloseError',
      'DeliveryError',
      'composeRelay',
      'createCallbackHandler',
      'defineSinkKind',
      'envelopeToJson',
      'loadRelayConfig',
      'startRelay',
      'verifyEventSubSignature',
    ]);
  });

  it('is enough to write a sink kind and a handler module against', async () => {
    const delivered: Envelope[] = [];
    const memory = defineSinkKind({
      kind: 'memory',
      description: 'keeps envelopes in an array',
      optionsSchema: z.object({ failWith: z.number().optional() }),
      secretFields: [],
      create(options, context): Sink {
        return {
          name: context.name,
          async deliver(envelope) {
            if (options.failWith)
              throw new DeliveryError('asked to fail', { retryAfterMs: options.failWith });
            delivered.push(envelope);
          },
        };
      },
    });
    const sink = await memory.create({}, { name: 'mem', logger: undefined as never, dataDir: '/tmp' });
    const envelope: Envelope = {
      id: 'm-1',
      messageType: 'notification',
      type: 'stream.online',
      version: '1',
      timestamp: '2026-11-23T10:00:00.123456789Z',
      retry: 0,
      subscription: {
        id: 's-1',
        type: 'stream.online',
        version: '1',
        status: 'enabled',
        cost: 0,
        condition: { broadcaster_user_id: '1337' },
        transport: { method: 'webhook', callback: 'https://relay.example.com/callback' },
        created_at: '2026-11-23T09:00:00Z',
      },
      event: { broadcaster_user_id: '1337' },
      receivedAt: '2026-11-23T10:00:00.130Z',
    };
    await sink.deliver(envelope, new AbortController().signal);
    expect(delivered).toEqual([envelope]);
    const failing = await memory.create(
      { failWith: 5000 },
      { name: 'f', logger: undefined as never, dataDir: '/tmp' },
    );
    await expect(failing.deliver(envelope, new AbortController().signal)).rejects.toMatchObject({
      hints: { retryAfterMs: 5000 },
    });

    const seen: string[] = [];
    const handlers: HandlerModule = (relay) => {
      relay.on('stream.online', (_event, received) => seen.push(received.id));
    };
    // What the module sink does with such a default export (src/sinks/module/module-sink.ts).
    const registry = new RelayHandlers();
    await handlers(registry);
    await registry.dispatch(envelope);
    expect(seen).toEqual(['m-1']);
  });
});
