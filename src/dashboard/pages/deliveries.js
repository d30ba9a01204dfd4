import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { eventHref, formatTime } from '../format.js';

/** Deliveries: pending and dead ones per sink, paged by id; bulk replay of the dead with a confirmation. */
export async function render(main) {
  const { sinks } = await api('/sinks');
  const sinkSelect = h(
    'select',
    { id: 'deliveries-sink' },
    sinks.map((sink) => h('option', { value: sink.name }, sink.name)),
  );
  const statusSelect = h(
    'select',
    { id: 'deliveries-status' },
    h('option', { value: 'dead' }, 'dead'),
    h('option', { value: 'pending' }, 'pending'),
  );
  const counts = h('p', { class: 'muted', id: 'deliveries-counts' });
  const message = h('p', { 'aria-live': 'polite', id: 'deliveries-message' });
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'quiet', onclick: () => load(false) }, 'Load more');
  const replayAll = h('button', { type: 'button', onclick: replayDead }, 'Replay all dead');
  let next = null;

  replace(
    main,
    h('h1', {}, 'Deliveries'),
    sinks.length === 0
      ? h('p', {}, 'No sinks are configured: events are only logged.')
      : [
          h(
            'div',
            { class: 'toolbar' },
            h('label', { for: 'deliveries-sink' }, 'Sink', sinkSelect),
            h('label', { for: 'deliveries-status' }, 'Status', statusSelect),
            replayAll,
          ),
          counts,
          message,
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['received', 'type', 'event', 'attempts', 'last error', 'next attempt'].map((title) =>
                  h('th', { scope: 'col' }, title),
                ),
              ),
            ),
            body,
          ),
          more,
        ],
  );
  if (sinks.length === 0) return;
  sinkSelect.addEventListener('change', () => load(true));
  statusSelect.addEventListener('change', () => load(true));

  async function refreshCounts() {
    const sink = (await api('/sinks')).sinks.find((candidate) => candidate.name === sinkSelect.value);
    counts.textContent = `${sink.pending} pending, ${sink.dead} dead`;
    replayAll.disabled = sink.dead === 0;
    return sink;
  }

  async function load(fresh) {
    if (fresh) {
      replace(body);
      next = null;
    }
    const query = new URLSearchParams({ sink: sinkSelect.value, status: statusSelect.value, limit: '50' });
    if (!fresh && next !== null) query.set('before', String(next));
    const page = await api(`/deliveries?${query}`);
    for (const row of page.deliveries)
      body.append(
        h(
          'tr',
          { dataset: { event: row.eventId } },
          h('td', {}, h('time', { datetime: row.receivedAt }, formatTime(row.receivedAt))),
          h('td', {}, h('code', {}, row.type)),
          h('td', {}, h('a', { href: eventHref(row.eventId) }, row.eventId)),
          h('td', {}, String(row.attempts)),
          h('td', {}, row.lastError ?? ''),
          h('td', {}, row.nextAttemptAt ? formatTime(row.nextAttemptAt) : '—'),
        ),
      );
    next = page.next;
    more.hidden = next === null;
    await refreshCounts();
  }

  async function replayDead() {
    const sink = await refreshCounts();
    if (sink.dead === 0) return;
    const noun = sink.dead === 1 ? 'delivery' : 'deliveries';
    if (!confirm(`Replay ${sink.dead} dead ${noun} to ${sink.name}?`)) return;
    try {
      const answer = await api('/deliveries/replay', {
        method: 'POST',
        body: { sink: sink.name, status: 'dead' },
      });
      message.textContent = `${answer.requeued} queued again for ${answer.sink}`;
    } catch (failure) {
      message.textContent = failure.message;
    }
    await load(true);
  }

  await load(true);
}
