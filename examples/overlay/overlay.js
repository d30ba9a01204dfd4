import { ALERT_TYPES, alertText } from './alert-text.js';

// Settings come from the page URL, so one file serves every OBS scene:
//   relay    the relay's origin (default: the origin this page is served from)
//   stream   the stream name from `streams:` in eventsub-relay.yml (default: overlay)
//   token    that stream's token (EventSource cannot send headers, so it travels as ?token=)
//   duration how long each alert shows, in ms (default: 6000)
const params = new URLSearchParams(location.search);
const relay = (params.get('relay') ?? location.origin).replace(/\/+$/, '');
const stream = params.get('stream') ?? 'overlay';
const token = params.get('token') ?? '';
const duration = Number(params.get('duration') ?? 6000);

const alerts = document.getElementById('alerts');
const status = document.getElementById('status');
const queue = [];
let showing = false;

function showNext() {
  const next = queue.shift();
  if (!next) {
    showing = false;
    return;
  }
  showing = true;
  const card = document.createElement('div');
  card.className = `alert alert-${next.kind}`;
  const title = document.createElement('div');
  title.className = 'alert-title';
  title.textContent = next.title;
  const detail = document.createElement('div');
  detail.className = 'alert-detail';
  detail.textContent = next.detail;
  card.append(title, detail);
  alerts.replaceChildren(card);
  setTimeout(() => {
    card.classList.add('leaving');
    setTimeout(showNext, 400);
  }, duration);
}

function enqueue(alert) {
  queue.push(alert);
  if (!showing) showNext();
}

// EventSource reconnects by itself and sends Last-Event-ID: no alert is lost across a drop or a
// relay restart. Starting without ?since shows only what happens from now on.
const source = new EventSource(
  `${relay}/stream/${encodeURIComponent(stream)}?token=${encodeURIComponent(token)}`,
);
source.addEventListener('open', () => {
  document.body.dataset.state = 'connected';
  status.hidden = true;
});
source.addEventListener('error', () => {
  document.body.dataset.state = 'reconnecting';
  status.textContent = `not connected to ${relay}/stream/${stream} (check relay, stream and token)`;
  status.hidden = false;
});
for (const type of ALERT_TYPES) {
  source.addEventListener(type, (message) => {
    const envelope = JSON.parse(message.data);
    const alert = alertText(type, envelope.event ?? {});
    if (alert) enqueue(alert);
  });
}
