// Shared by the widget pages (recent.html, counters.html, goal.html). Settings come from the URL:
//   relay   the relay's origin (default: the origin this page is served from)
//   stream  the stream name from `streams:` in eventsub-relay.yml (default: overlay)
//   token   that stream's token (EventSource cannot send headers, so it travels as ?token=)
// The relay keeps what the widgets show (GET /stream/<name>/session), so a reloaded browser source
// shows the same counters, list and goal; the stream's events only say when to read it again.
export const params = new URLSearchParams(location.search);
const relay = (params.get('relay') ?? location.origin).replace(/\/+$/, '');
const stream = params.get('stream') ?? 'overlay';
const token = params.get('token') ?? '';
const base = `${relay}/stream/${encodeURIComponent(stream)}`;
const query = `?token=${encodeURIComponent(token)}`;

const status = document.getElementById('status');
function showStatus(text) {
  document.body.dataset.state = 'reconnecting';
  status.textContent = text;
  status.hidden = false;
}

/**
 * Calls `render(session)` with the relay's session of the stream once connected, and again after
 * each event of `types` (reads are coalesced: one at a time, the last one wins).
 */
export function followSession(types, render) {
  let reading = false;
  let again = false;
  async function refresh() {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const answer = await fetch(`${base}/session${query}`, { cache: 'no-store' });
        if (!answer.ok) {
          const body = await answer.json().catch(() => ({}));
          throw new Error(body.message ?? `HTTP ${answer.status}`);
        }
        render(await answer.json());
        document.body.dataset.state = 'connected';
        status.hidden = true;
      } while (again);
    } catch (error) {
      showStatus(`cannot read ${base}/session (${error.message})`);
    } finally {
      reading = false;
    }
  }
  // EventSource reconnects by itself; each (re)connection reads the session again.
  const source = new EventSource(`${base}${query}`);
  source.addEventListener('open', refresh);
  source.addEventListener('error', () =>
    showStatus(`not connected to ${base} (check relay, stream and token)`),
  );
  for (const type of types) source.addEventListener(type, refresh);
}

/** Formats a count for a person: 12,345. */
export const formatNumber = (value) => new Intl.NumberFormat('en-US').format(value);
