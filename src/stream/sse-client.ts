import type { ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { LiveEvent, LiveSubscriber } from './stream-hub.js';
import type { StreamDefinition } from './stream-config.js';
import { openEventStream } from './open-event-stream.js';

export interface SseClientOptions {
  stream: StreamDefinition;
  /** Events after this seq are sent; earlier ones were seen already. */
  cursor: number;
  logger: Logger;
  /** Bytes the socket may hold unsent before the client is cut off. */
  maxBufferBytes: number;
  heartbeatMs: number;
  /** Reconnect delay suggested to EventSource (`retry:`). */
  retryMs: number;
  onClose: () => void;
}

/**
 * One open `text/event-stream` answer. It writes what its stream's filter admits, never holds more
 * than `maxBufferBytes` unsent (a client that reads slower than events arrive is disconnected and
 * reconnects with Last-Event-ID, losing nothing), and sends a comment every `heartbeatMs` so proxies
 * and clients see the connection alive.
 */
export class SseClient implements LiveSubscriber {
  cursor: number;
  closed = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseClientOptions,
  ) {
    this.cursor = options.cursor;
    openEventStream(res);
    res.write(`retry: ${options.retryMs}\n: connected to stream ${options.stream.name}\n\n`);
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
    res.once('close', () => this.finish());
  }

  /** A live event from the hub: written at once, unless the client has fallen too far behind. */
  deliver(event: LiveEvent): void {
    if (event.seq <= this.cursor) return;
    this.cursor = event.seq;
    if (this.options.stream.admits(event.envelope)) this.write(event.frame);
  }

  /** A stored event while catching up: written, then waits until the socket took it (no cut-off). */
  async sendStored(event: LiveEvent): Promise<void> {
    if (event.seq <= this.cursor) return;
    this.cursor = event.seq;
    if (!this.options.stream.admits(event.envelope) || this.closed) return;
    this.res.write(event.frame);
    await this.drained();
  }

  /**
   * Writes, unless more than `maxBufferBytes` written earlier is still unsent: then the client is
   * disconnected instead (memory per client stays under the bound plus one event).
   */
  write(text: string): void {
    if (this.closed) return;
    const buffered = this.res.writableLength;
    if (buffered > this.options.maxBufferBytes) {
      this.options.logger.warn(
        { stream: this.options.stream.name, bufferedBytes: buffered, lastSeq: this.cursor },
        'stream client reads too slowly: disconnected (it resumes from its Last-Event-ID)',
      );
      this.res.destroy();
      this.finish();
      return;
    }
    this.res.write(text);
  }

  /** Resolves once the socket has taken what was written (or the client is gone). */
  drained(): Promise<void> {
    if (this.closed || !this.res.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  /** Ends the answer cleanly (shutdown): the client reconnects and resumes. */
  end(): void {
    if (this.closed) return;
    this.res.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.options.onClose();
  }
}
