import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bounds on how much of a refused body is still read (and dropped) so the client gets its answer. */
export interface DiscardLimits {
  /** Bytes of the rest of the body read and dropped before the connection is cut. */
  maxBytes: number;
  /** Time the client gets to finish sending before the connection is cut. */
  maxMs: number;
}

/**
 * nginx's lingering close uses 30 s; Twitch never sends a body near MAX_BODY_BYTES, so what is
 * refused here is a misconfigured client or a probe: 16 MiB and 10 s are plenty to let it finish
 * its write and read the 413, and small enough that nobody can make the relay read forever.
 */
export const DEFAULT_DISCARD_LIMITS: DiscardLimits = { maxBytes: 16 * 1024 * 1024, maxMs: 10_000 };

/**
 * Reads and drops what is left of a refused request body. Closing a socket that still has unread
 * bytes makes the kernel send RST, and a client still writing its body then sees EPIPE or
 * ECONNRESET instead of the 413 it has not read yet. Bounded like nginx's lingering close: past
 * `maxBytes` or `maxMs` the socket is destroyed. Resolves `drained` once the body has ended, `cut`
 * when a bound was hit or the client went away.
 */
function discardBody(req: IncomingMessage, limits: DiscardLimits): Promise<'drained' | 'cut'> {
  if (req.complete) return Promise.resolve('drained');
  return new Promise((resolve) => {
    let discarded = 0;
    const finish = (outcome: 'drained' | 'cut') => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(outcome);
    };
    const cut = () => {
      finish('cut');
      req.socket.destroy();
    };
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > limits.maxBytes) cut();
    };
    const onEnd = () => finish('drained');
    const onClose = () => finish(req.complete ? 'drained' : 'cut');
    const timer = setTimeout(cut, limits.maxMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.resume();
  });
}

/**
 * Sends a refusal (`send`) for a body the relay will not read, in the order that lets the client
 * read it. On a connection that stays open, the answer goes out at once and the rest of the body is
 * discarded behind it (the connection is then reusable). When the connection closes after this
 * answer (the client sent `Connection: close`, or HTTP/1.0), Node closes it as soon as the answer
 * is written, so the body is discarded first and the answer sent after. A declared body beyond the
 * bounds is answered at once and the connection closed: best effort, the relay will not read it.
 */
export async function refuseUnreadBody(
  req: IncomingMessage,
  res: ServerResponse,
  send: () => void,
  limits: DiscardLimits,
): Promise<void> {
  if (req.complete) return send();
  if (Number(req.headers['content-length']) > limits.maxBytes) {
    res.setHeader('Connection', 'close');
    return send();
  }
  if (!res.shouldKeepAlive) {
    if ((await discardBody(req, limits)) === 'drained') send();
    return;
  }
  // Start consuming before answering: once the answer is written Node would otherwise drain the
  // rest itself, without any bound.
  const discarding = discardBody(req, limits);
  send();
  await discarding;
}
