import { resolveStreamTarget } from './stream-target.js';
import { tailStream } from './stream-tail.js';

export interface TailCommandOptions {
  stream?: string;
  type: string[];
  since: string;
  url?: string;
  token?: string;
  json?: boolean;
  count?: number;
}

/** `stream tail`: follows one live stream until SIGINT/SIGTERM or --count events. */
export async function tail(options: TailCommandOptions): Promise<void> {
  const target = resolveStreamTarget(options);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await tailStream({
      target,
      types: options.type,
      since: options.since,
      json: options.json ?? false,
      ...(options.count !== undefined && { count: options.count }),
      write: (line) => process.stdout.write(line + '\n'),
      warn: (line) => process.stderr.write(line + '\n'),
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
