// The anchor: @twurple/eventsub-http's EventSubMiddleware on express, one channel.follow handler
// registered (unmanaged: no Helix calls). It answers 202 before the handler runs and keeps
// message ids in memory only; nothing is stored.
import express from 'express';
import { EventSubMiddleware } from '@twurple/eventsub-http';

const app = express();
const middleware = new EventSubMiddleware({
  managed: false,
  hostName: 'example.com',
  pathPrefix: '/twitch',
  secret: process.env.EVENTSUB_SECRET,
  strictHostCheck: false,
  logger: { minLevel: 'error' },
});
middleware.apply(app);
let handled = 0;
middleware.onChannelFollow('1337', '1337', () => {
  handled++;
});
app.listen(Number(process.env.PORT), '127.0.0.1', async () => {
  await middleware.markAsReady();
  process.send?.('ready');
});
process.on('message', (message) => {
  if (message === 'count') process.send?.({ handled });
});
