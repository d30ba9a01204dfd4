import { api } from '../api.js';
import { barChart } from '../chart.js';
import { h, replace } from '../dom.js';

/** How often the charts are read again while the page is open. */
const REFRESH_MS = 15_000;

const MARKS = { ok: '✔', fail: '✗', warn: '!', skip: '–' };
const STATE_CLASS = { ok: 'state-ok', fail: 'state-bad', warn: 'state-warn', skip: 'muted' };

/** One line of the doctor report: mark, title, what was found, and the fix for a ✗ or !. */
function finding(f) {
  return h(
    'li',
    { class: 'finding', dataset: { id: f.id, status: f.status } },
    h('span', { class: STATE_CLASS[f.status], 'aria-label': f.status }, MARKS[f.status] ?? '?'),
    ' ',
    h('strong', {}, f.title),
    ': ',
    f.detail,
    f.fix ? h('div', { class: 'fix' }, 'Fix: ', f.fix) : null,
  );
}

function figureCard(title, chart, caption) {
  return h(
    'figure',
    { class: 'card chart-card' },
    h('figcaption', {}, title),
    chart,
    h('p', { class: 'muted' }, caption),
  );
}

function charts(minutes) {
  const last = (pick) => minutes.map(pick);
  const events = last((m) => m.events);
  const ack = last((m) => m.ackMsAverage);
  const backlog = last((m) => m.backlog);
  const total = events.reduce((sum, n) => sum + n, 0);
  const acked = ack.filter((v) => v !== null);
  return h(
    'div',
    { class: 'charts' },
    figureCard(
      'Events per minute',
      barChart(events, { label: 'Events per minute' }),
      `${total} in the last hour`,
    ),
    figureCard(
      'Acknowledgement latency (ms, average per minute)',
      barChart(ack, { label: 'Acknowledgement latency', unit: ' ms' }),
      acked.length
        ? `latest ${acked.at(-1)} ms, highest ${Math.max(...acked)} ms`
        : 'no event in the last hour',
    ),
    figureCard(
      'Backlog (pending deliveries)',
      barChart(backlog, { label: 'Backlog' }),
      `now ${backlog.at(-1) ?? 0}`,
    ),
  );
}

function sinksTable(sinks) {
  return h(
    'table',
    {},
    h('caption', { class: 'muted' }, 'Deliveries per sink now'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Sink'),
        h('th', { scope: 'col' }, 'Pending'),
        h('th', { scope: 'col' }, 'Dead'),
        h('th', { scope: 'col' }, 'Oldest pending since'),
      ),
    ),
    h(
      'tbody',
      {},
      sinks.map((s) =>
        h(
          'tr',
          {},
          h('td', {}, s.sink),
          h('td', {}, s.pending),
          h('td', { class: s.dead ? 'state-bad' : '' }, s.dead),
          h('td', {}, s.oldestPendingReceivedAt ?? '—'),
        ),
      ),
    ),
  );
}

/** Health: the doctor report on demand, and the last hour per minute (events, latency, backlog). */
export async function render(main) {
  const figures = h('section', { 'aria-labelledby': 'health-hour' });
  const report = h('div', { id: 'doctor-report', 'aria-live': 'polite' });
  const run = h('button', { type: 'button', id: 'run-doctor', onclick: runDoctor }, 'Run doctor');
  async function runDoctor() {
    run.disabled = true;
    replace(report, h('p', { class: 'muted' }, 'Checking every hop from Twitch to the sinks…'));
    try {
      const { findings } = await api('/doctor', { method: 'POST' });
      const failed = findings.filter((f) => f.status === 'fail').length;
      replace(
        report,
        h(
          'p',
          { class: failed ? 'state-bad' : 'state-ok' },
          failed ? `${failed} check(s) failed` : 'every check passed',
        ),
        h('ul', { class: 'findings' }, findings.map(finding)),
      );
    } catch (failure) {
      replace(report, h('p', { class: 'error', role: 'alert' }, failure.message));
    } finally {
      run.disabled = false;
    }
  }
  async function refresh() {
    const { minutes, sinks } = await api('/health');
    replace(figures, h('h2', { id: 'health-hour' }, 'The last hour'), charts(minutes), sinksTable(sinks));
  }
  replace(
    main,
    h('h1', {}, 'Health'),
    figures,
    h(
      'section',
      { 'aria-labelledby': 'doctor-title' },
      h('h2', { id: 'doctor-title' }, 'Doctor'),
      h(
        'p',
        { class: 'muted' },
        'Every hop from Twitch to your sinks, checked now with the relay’s own configuration (as ',
        h('code', {}, 'eventsub-relay doctor'),
        ').',
      ),
      run,
      report,
    ),
  );
  await refresh();
  const timer = setInterval(() => void refresh().catch(() => undefined), REFRESH_MS);
  return () => clearInterval(timer);
}
