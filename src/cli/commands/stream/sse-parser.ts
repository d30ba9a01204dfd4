/** One Server-Sent Event as EventSource hands it over. */
export interface ServerSentEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Incremental text/event-stream parser (the WHATWG rules the relay's stream needs): feed it chunks,
 * it calls `onEvent` per complete event and `onRetry` for a `retry:` hint; comments are skipped.
 */
export class SseParser {
  private pending = '';

  constructor(
    private readonly onEvent: (event: ServerSentEvent) => void,
    private readonly onRetry: (ms: number) => void = () => {},
  ) {}

  push(chunk: string): void {
    this.pending += chunk.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = this.pending.indexOf('\n\n')) >= 0) {
      const block = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 2);
      this.parseBlock(block);
    }
  }

  private parseBlock(block: string): void {
    const data: string[] = [];
    const event: Omit<ServerSentEvent, 'data'> = {};
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry(Number(value));
    }
    if (data.length > 0) this.onEvent({ ...event, data: data.join('\n') });
  }
}
