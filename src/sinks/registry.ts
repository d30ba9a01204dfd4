import { fileSinkKind } from './file.js';
import { httpSinkKind } from './http.js';
import { logSinkKind } from './log.js';
import { moduleSinkKind } from './module/module-sink.js';
import { natsSinkKind } from './nats.js';
import { redisStreamSinkKind } from './redis-stream.js';
import type { SinkKind } from './sink.js';

/**
 * Every sink kind the config file may name. A new kind is one file exporting a SinkKind plus one
 * line here; the receiver and the worker never change.
 */
export const SINK_KINDS: ReadonlyMap<string, SinkKind<never>> = new Map(
  [httpSinkKind, logSinkKind, fileSinkKind, moduleSinkKind, redisStreamSinkKind, natsSinkKind].map((kind) => [
    kind.kind,
    kind as SinkKind<never>,
  ]),
);
