// What express costs: express.raw + the HMAC check, answering 204. Nothing stored.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';

const secret = process.env.EVENTSUB_SECRET;
const app = express();
app.post('/callback', express.raw({ type: '*/*', limit: '1mb' }), (req, res) => {
  const id = req.header('twitch-eventsub-message-id') ?? '';
  const timestamp = req.header('twitch-eventsub-message-timestamp') ?? '';
  const expected = Buffer.from((req.header('twitch-eventsub-message-signature') ?? '').slice(7), 'hex');
  const actual = createHmac('sha256', secret)
    .update(id + timestamp)
    .update(req.body)
    .digest();
  res.sendStatus(actual.length === expected.length && timingSafeEqual(actual, expected) ? 204 : 403);
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
