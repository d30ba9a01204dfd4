// The alert box. The relay owns the queue and renders every text: this page connects to
// /overlay/<stream>/alerts and shows what it is told — the alert on screen, with the time it has
// left, or none. Texts are only ever set as textContent, so a name cannot inject markup.
//
// Settings come from the page URL, so one file serves every OBS scene:
//   stream   the stream name from `streams:` in eventsub-relay.yml (default: overlay)
//   token    that stream's token (EventSource cannot send headers, so it travels as ?token=)
//   relay    the relay's origin, when this page is served from elsewhere (default: this page's)
const params = new URLSearchParams(location.search);
const relay = (params.get('relay') ?? location.origin).replace(/\/+$/, '');
const stream = params.get('stream') ?? 'overlay';
const token = params.get('token') ?? '';

const LEAVE_MS = 400;
const RECONNECT_MS = 5000;

const card = document.getElementById('alert');
const image = card.querySelector('.alert-image');
const title = card.querySelector('.alert-title');
const message = card.querySelector('.alert-message');
const sound = document.getElementById('sound');
const status = document.getElementById('status');

/** What is wrong right now, by source (connection, image, sound); the status shows the first. */
const problems = new Map();
function problem(source, text) {
  if (text) problems.set(source, text);
  else problems.delete(source);
  const first = problems.values().next();
  status.classList.remove('status-late');
  status.hidden = first.done;
  status.textContent = first.done ? '' : first.value;
}

/** A URL the relay sent: only its own paths (never another site, never javascript:). */
function relayUrl(path) {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') ? relay + path : '';
}

let shownPlay = 0;
let leaveTimer;
let hideTimer;
const cardStyle = new Set();

function hide() {
  clearTimeout(leaveTimer);
  if (card.hidden) return;
  card.classList.add('leaving');
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => {
    card.hidden = true;
    card.classList.remove('leaving');
    delete document.body.dataset.alert;
  }, LEAVE_MS);
  sound.pause();
  problem('image');
  problem('sound');
}

function show(alert) {
  clearTimeout(hideTimer);
  clearTimeout(leaveTimer);
  shownPlay = alert.play;
  card.hidden = false;
  card.className = `alert alert-${alert.kind}`;
  // Restart the entry animation for a new alert.
  void card.offsetWidth;
  for (const name of cardStyle) card.style.removeProperty(name);
  cardStyle.clear();
  for (const [name, value] of Object.entries(alert.style ?? {})) {
    if (!name.startsWith('--')) continue;
    card.style.setProperty(name, value);
    cardStyle.add(name);
  }
  title.textContent = alert.title;
  message.textContent = alert.message;
  document.body.dataset.alert = alert.id;

  problem('image');
  const imageUrl = relayUrl(alert.image);
  image.hidden = !imageUrl;
  if (imageUrl) image.src = imageUrl;
  else image.removeAttribute('src');

  problem('sound');
  sound.pause();
  const soundUrl = relayUrl(alert.sound);
  if (soundUrl) {
    sound.src = soundUrl;
    sound.volume = Math.min(1, Math.max(0, alert.volume ?? 1));
    // After a reload mid-alert the sound goes on from where it is, not from the start.
    if (alert.elapsedMs > 250) sound.currentTime = alert.elapsedMs / 1000;
    sound.play().catch((error) => {
      if (error?.name === 'AbortError') return;
      problem(
        'sound',
        `sound blocked (${error?.name ?? 'error'}): in OBS tick "Control audio via OBS"; in a browser allow autoplay`,
      );
    });
  } else {
    sound.removeAttribute('src');
  }
  leaveTimer = setTimeout(hide, Math.max(0, alert.remainingMs - LEAVE_MS));
}

image.addEventListener('error', () => {
  if (!image.hidden && image.getAttribute('src'))
    problem(
      'image',
      `image did not load: ${image.getAttribute('src')} (is the file in the alerts media folder?)`,
    );
});
sound.addEventListener('error', () => {
  if (sound.getAttribute('src'))
    problem(
      'sound',
      `sound did not load: ${sound.getAttribute('src')} (is the file in the alerts media folder?)`,
    );
});

function applyLook(look) {
  const sheet = relayUrl(look.stylesheet);
  let link = document.getElementById('user-style');
  if (sheet) {
    if (!link) {
      link = document.createElement('link');
      link.id = 'user-style';
      link.rel = 'stylesheet';
      link.addEventListener('error', () => problem('stylesheet', `stylesheet did not load: ${link.href}`));
      document.head.append(link);
    }
    link.href = sheet;
  } else link?.remove();
  for (const [name, value] of Object.entries(look.style ?? {}))
    if (name.startsWith('--')) document.documentElement.style.setProperty(name, value);
}

function onQueue(state) {
  document.body.dataset.paused = String(state.paused);
  const current = state.current;
  if (!current) hide();
  else if (current.play !== shownPlay || card.hidden) show(current);
}

const endpoint = `${relay}/overlay/${encodeURIComponent(stream)}/alerts?token=${encodeURIComponent(token)}`;
let source;
function connect() {
  source = new EventSource(endpoint);
  source.addEventListener('open', () => {
    document.body.dataset.state = 'connected';
    problem('connection');
  });
  source.addEventListener('error', () => {
    document.body.dataset.state = 'reconnecting';
    problem(
      'connection',
      `not connected to ${relay}/overlay/${stream}/alerts (is the relay running? are stream and token right?)`,
    );
    // EventSource retries dropped connections itself, but gives up after an error answer (401,
    // 503 while the relay restarts): this page keeps trying.
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, RECONNECT_MS);
  });
  source.addEventListener('look', (event) => applyLook(JSON.parse(event.data)));
  source.addEventListener('queue', (event) => onQueue(JSON.parse(event.data)));
}

problem('loading');
document.body.dataset.state = 'connecting';
connect();
