import type { Router } from 'express';
import { sendJsonError } from '../admin-errors.js';

/** A configured live stream, as the Streams page shows it. */
export interface StreamView {
  name: string;
  /** The bearer token (shown only on request, never in a listing). */
  token: string;
  maxClients: number;
}

export interface StreamRouteDeps {
  streams: readonly StreamView[];
  /** Open connections of one stream now. */
  clientCount(name: string): number;
}

/** The overlay page served at /overlay/ for one stream, relative to the relay's origin. */
const overlayPath = (name: string, token?: string) =>
  `/overlay/?stream=${encodeURIComponent(name)}${token === undefined ? '' : `&token=${encodeURIComponent(token)}`}`;

/**
 * `GET /api/streams`: each stream with its overlay URL (without the token) and connected clients;
 * `POST /api/streams/<name>/token`: the token and the complete overlay URL, for the copy button.
 */
export function registerStreamRoutes(router: Router, deps: StreamRouteDeps): void {
  router.get('/streams', (_req, res) => {
    res.json({
      streams: deps.streams.map((s) => ({
        name: s.name,
        streamPath: `/stream/${encodeURIComponent(s.name)}`,
        overlayPath: overlayPath(s.name),
        clients: deps.clientCount(s.name),
        maxClients: s.maxClients,
      })),
    });
  });
  router.post('/streams/:name/token', (req, res) => {
    const stream = deps.streams.find((s) => s.name === req.params.name);
    if (!stream)
      return sendJsonError(
        res,
        404,
        'unknown_stream',
        `no stream named "${String(req.params.name).slice(0, 64)}"`,
      );
    res
      .set('Cache-Control', 'no-store')
      .json({ token: stream.token, overlayPath: overlayPath(stream.name, stream.token) });
  });
}
