import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { formatTime, stateClass } from '../format.js';

function attemptRow(attempt) {
  return h(
    'tr',
    {},
    h('td', {}, String(attempt.attempt)),
    h('td', {}, h('time', { datetime: attempt.startedAt }, formatTime(attempt.startedAt))),
    h('td', {}, `${attempt.durationMs} ms`),
    h('td', { class: attempt.ok ? 'state-ok' : 'state-bad' }, attempt.ok ? 'ok' : 'failed'),
    h('td', {}, attempt.error ?? ''),
    h('td', {}, attempt.response === null ? '' : h('pre', { class: 'answer' }, attempt.response)),
  );
}

/**
 * The payload indented for reading, and on request the exact text the sinks get (key order, number
 * spelling and all, as Twitch signed it), which indenting could change.
 */
function payloadView(payload) {
  const pre = h('pre', { class: 'payload', tabindex: '0' }, JSON.stringify(JSON.parse(payload), null, 2));
  const toggle = h(
    'button',
    { type: 'button', class: 'quiet', 'aria-pressed': 'false' },
    'Show the exact text',
  );
  toggle.addEventListener('click', () => {
    const exact = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', String(exact));
    pre.textContent = exact ? payload : JSON.stringify(JSON.parse(payload), null, 2);
  });
  return [toggle, pre];
}

/** Event: the payload as received and, per sink, the delivery and every attempt; replay buttons. */
export async function render(main, [id]) {
  const status = h('p', { 'aria-live': 'polite', id: 'replay-status' });
  async function replay(sink) {
    status.textContent = '';
    try {
      const answer = await api(`/events/${encodeURIComponent(id)}/replay`, {
        method: 'POST',
        body: sink === undefined ? {} : { sink },
      });
      status.textContent = `queued again for ${answer.sinks.join(', ')}`;
      setTimeout(() => void show(), 1000);
    } catch (failure) {
      status.textContent = failure.message;
    }
  }
  async function show() {
    const event = await api(`/events/${encodeURIComponent(id)}`);
    const configured = event.sinks.filter((sink) => sink.configured);
    replace(
      main,
      h('h1', {}, 'Event'),
      h('p', {}, h('strong', {}, event.gist)),
      h(
        'p',
        { class: 'muted' },
        h('code', {}, event.type),
        ' · ',
        event.messageType,
        ' · message id ',
        h('code', {}, event.id),
        ' · received ',
        h('time', { datetime: event.receivedAt }, formatTime(event.receivedAt)),
      ),
      h(
        'div',
        { class: 'row-actions' },
        configured.length > 1
          ? h('button', { type: 'button', onclick: () => replay(undefined) }, 'Replay to all sinks')
          : null,
        configured.map((sink) =>
          h(
            'button',
            { type: 'button', class: 'quiet', onclick: () => replay(sink.sink) },
            `Replay to ${sink.sink}`,
          ),
        ),
        // The Alerts page with this id in its replay form: one more click shows the alert again.
        h(
          'a',
          { href: `#/alerts/${encodeURIComponent(event.id)}`, id: 'replay-as-alert' },
          'Replay as alert…',
        ),
      ),
      status,
      h('h2', {}, 'Deliveries'),
      event.sinks.length === 0 ? h('p', { class: 'muted' }, 'No sink took this event.') : null,
      event.sinks.map((sink) =>
        h(
          'section',
          { class: 'card sink-attempts', dataset: { sink: sink.sink } },
          h(
            'h3',
            {},
            sink.sink,
            ' — ',
            h('span', { class: stateClass(sink.status) }, sink.status),
            sink.configured ? '' : ' (no longer configured)',
          ),
          sink.nextAttemptAt
            ? h('p', { class: 'muted' }, `next attempt ${formatTime(sink.nextAttemptAt)}`)
            : null,
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['#', 'time', 'duration', 'status', 'error', 'consumer’s answer'].map((title) =>
                  h('th', { scope: 'col' }, title),
                ),
              ),
            ),
            h('tbody', {}, sink.attempts.map(attemptRow)),
          ),
        ),
      ),
      h('h2', {}, 'Payload as received'),
      payloadView(event.payload),
    );
  }
  await show();
}
