import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { formatAge, formatTime, stateClass } from '../format.js';

const percent = (rate) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10} %`);

/** Sinks: each sink's state, backlog, oldest pending age, last error and success rate over the last hour. */
export async function render(main) {
  const body = h('tbody');
  replace(
    main,
    h('h1', {}, 'Sinks'),
    h(
      'p',
      { class: 'muted' },
      'A failing sink that answers again gets its pending backlog at once, in order. Updated every 5 s.',
    ),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['sink', 'kind', 'state', 'pending', 'dead', 'oldest pending', 'success (1 h)', 'last error'].map(
            (title) => h('th', { scope: 'col' }, title),
          ),
        ),
      ),
      body,
    ),
  );
  async function refresh() {
    const { sinks } = await api('/sinks');
    replace(
      body,
      sinks.length === 0
        ? h('tr', {}, h('td', { colspan: '8' }, 'No sinks are configured: events are only logged.'))
        : sinks.map((sink) =>
            h(
              'tr',
              { dataset: { sink: sink.name } },
              h('th', { scope: 'row' }, sink.name),
              h('td', {}, sink.kind),
              h('td', { class: `sink-state ${stateClass(sink.state)}` }, sink.state),
              h('td', {}, String(sink.pending)),
              h('td', {}, String(sink.dead)),
              h('td', {}, formatAge(sink.oldestPendingAgeSeconds)),
              h('td', {}, `${percent(sink.successRateLastHour)} of ${sink.attemptsLastHour}`),
              h(
                'td',
                {},
                sink.lastError ?? '',
                sink.lastErrorAt ? h('span', { class: 'muted' }, ` (${formatTime(sink.lastErrorAt)})`) : null,
              ),
            ),
          ),
    );
  }
  await refresh();
  const timer = setInterval(() => void refresh().catch(() => undefined), 5000);
  return () => clearInterval(timer);
}
