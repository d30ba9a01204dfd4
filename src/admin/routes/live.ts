import { openLiveFeed } from '../live-feed.js';
import type { RouteGroup } from '../route-group.js';

/** GET /api/live?after=<seq>: the Live page's Server-Sent Events (see live-feed.ts). */
export const liveRoutes: RouteGroup = (router, { store, streams, config, openStreams }) => {
  router.get('/live', async (req, res) => {
    const fromHeader = req.get('last-event-id');
    const raw = typeof req.query.after === 'string' ? req.query.after : fromHeader;
    const latest = await store.latestSeq();
    streams.hub.skipTo(latest);
    const after = raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : latest;
    openStreams.add(res);
    res.once('close', () => openStreams.delete(res));
    await openLiveFeed(res, after, {
      hub: streams.hub,
      store,
      heartbeatMs: config.streams.heartbeatMs,
      maxBufferBytes: config.streams.maxBufferBytes,
    });
  });
};
