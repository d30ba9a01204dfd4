import { api, apiUrl } from '../api.js';
import { h, replace } from '../dom.js';
import { eventHref, formatTime } from '../format.js';

/** Lines kept on the page; older ones drop off the bottom (the Deliveries page and the API page further). */
const MAX_LINES = 500;

/**
 * Live: events as they arrive (Server-Sent Events from /api/live), newest on top, each a line with
 * its gist; filter by type, search by user (name, login, id) or message id. Every string from an
 * event is set as text, never as HTML.
 */
export async function render(main) {
  const lines = [];
  const typeFilter = h('select', { id: 'live-type' }, h('option', { value: '' }, 'all types'));
  const search = h('input', { id: 'live-search', type: 'search', placeholder: 'user or message id' });
  const status = h('p', { class: 'muted', id: 'live-status', 'aria-live': 'polite' }, 'connecting…');
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'live' },
    h('caption', { class: 'muted' }, 'Newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'time'),
        h('th', { scope: 'col' }, 'type'),
        h('th', { scope: 'col' }, 'what'),
      ),
    ),
    body,
  );
  const older = h('button', { type: 'button', class: 'quiet', onclick: loadOlder }, 'Load older');
  replace(
    main,
    h('h1', {}, 'Live'),
    h(
      'div',
      { class: 'toolbar', role: 'search' },
      h('label', { for: 'live-type' }, 'Type', typeFilter),
      h('label', { for: 'live-search' }, 'Search', search),
    ),
    status,
    table,
    older,
  );
  typeFilter.addEventListener('change', redraw);
  search.addEventListener('input', redraw);

  const recent = await api('/events/recent?limit=100');
  let next = recent.next;
  for (const line of recent.events) lines.push(line);
  const newest = lines[0]?.seq ?? 0;
  redraw();
  older.hidden = next === null;

  const source = new EventSource(apiUrl(`/live?after=${newest}`));
  source.addEventListener('open', () => (status.textContent = 'connected: new events appear at the top'));
  source.addEventListener('error', () => (status.textContent = 'reconnecting…'));
  source.addEventListener('relay-event', (message) => {
    const line = JSON.parse(message.data);
    if (lines.some((known) => known.seq === line.seq)) return;
    lines.unshift(line);
    if (lines.length > MAX_LINES) lines.length = MAX_LINES;
    redraw();
  });

  async function loadOlder() {
    if (next === null) return;
    const page = await api(`/events/recent?limit=100&before=${next}`);
    lines.push(...page.events);
    next = page.next;
    older.hidden = next === null;
    redraw();
  }

  function matches(line) {
    if (typeFilter.value && line.type !== typeFilter.value) return false;
    const wanted = search.value.trim().toLowerCase();
    if (!wanted) return true;
    return line.id.toLowerCase() === wanted || line.users.some((user) => user.toLowerCase().includes(wanted));
  }

  function redraw() {
    const types = [...new Set(lines.map((line) => line.type))].sort();
    const chosen = typeFilter.value;
    replace(
      typeFilter,
      h('option', { value: '' }, 'all types'),
      types.map((type) => h('option', { value: type, selected: type === chosen }, type)),
    );
    replace(
      body,
      lines
        .filter(matches)
        .map((line) =>
          h(
            'tr',
            { dataset: { id: line.id } },
            h('td', {}, h('time', { datetime: line.receivedAt }, formatTime(line.receivedAt))),
            h('td', {}, h('code', {}, line.type)),
            h(
              'td',
              {},
              h('a', { href: eventHref(line.id) }, line.gist),
              line.text === undefined ? null : h('div', { class: 'message-text' }, line.text),
            ),
          ),
        ),
    );
  }

  return () => source.close();
}
