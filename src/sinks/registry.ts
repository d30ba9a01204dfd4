import { fileSinkKind } from './file.js';
import { httpSinkKind } from './http.js';
import { logSinkKind } from './log.js';
import { moduleSinkKind } from './module/module-sink.js';
import { natsSinkKind } from './nats.js';
import { redisStreamSinkKind } from './redis-stream.js';
import type { SinkKind } from './sink.js';

/** The sink kinds a config file may name, by `kind:`. */
export type SinkRegistry = ReadonlyMap<string, SinkKind<never>>;

/** The kinds that ship with the relay. */
export const BUILT_IN_SINK_KINDS: readonly SinkKind<never>[] = [
  httpSinkKind,
  logSinkKind,
  fileSinkKind,
  moduleSinkKind,
  redisStreamSinkKind,
  natsSinkKind,
] as SinkKind<never>[];

/**
 * The built-in kinds plus `extraKinds` (a library user's own, see defineSinkKind): a new kind is
 * one object; the receiver, the intake and the worker never change. Two kinds may not share a name.
 */
export function createSinkRegistry(extraKinds: readonly SinkKind<never>[] = []): SinkRegistry {
  const registry = new Map<string, SinkKind<never>>();
  for (const kind of [...BUILT_IN_SINK_KINDS, ...extraKinds]) {
    if (registry.has(kind.kind)) {
      throw new Error(`sink kind "${kind.kind}" is defined twice; give the extra kind another name`);
    }
    registry.set(kind.kind, kind);
  }
  return registry;
}
