import { api } from '../api.js';
import { h, replace } from '../dom.js';

/** How often the queues' state is fetched again: often enough that the time left reads as live. */
const REFRESH_MS = 2000;

/**
 * The placeholders a test alert may set (the `--set` keys of `alerts test`), the most used first;
 * an empty field keeps the sample event's value.
 */
const TEST_FIELDS = [
  { key: 'user', label: 'User', value: 'Cool_User' },
  { key: 'amount', label: 'Amount', value: '' },
  { key: 'message', label: 'Message', value: '' },
  { key: 'months', label: 'Months', value: '' },
  { key: 'tier', label: 'Tier', value: '' },
  { key: 'reward', label: 'Reward', value: '' },
];

/** The types the built-in rules show, offered first in the type list. */
const ALERT_TYPES = [
  'channel.follow',
  'channel.subscribe',
  'channel.subscription.message',
  'channel.subscription.gift',
  'channel.cheer',
  'channel.bits.use',
  'channel.raid',
  'channel.channel_points_custom_reward_redemption.add',
  'channel.hype_train.begin',
  'channel.hype_train.end',
  'channel.charity_campaign.donate',
];

const timeLeftText = (current) => ` · ${Math.ceil(current.remainingMs / 1000)} s left`;

/** What the queue cards show, apart from the time left (which alone changes between most refreshes). */
const stateKey = (list) =>
  JSON.stringify(
    list.map(({ stream, paused, current, waiting }) => [
      stream,
      paused,
      current?.alert.id,
      current?.play,
      waiting.map((a) => a.id),
    ]),
  );

function alertLine(alert) {
  return [
    h('strong', { class: 'alert-title' }, alert.title),
    alert.message ? [' — ', h('span', { class: 'alert-message' }, alert.message)] : null,
    h('span', { class: 'muted' }, ` (${alert.type}, ${alert.origin})`),
  ];
}

/** One stream's queue: the alert on screen with its time left, the waiting ones, and its buttons. */
function queueView(queue, act) {
  const { stream, paused, current, waiting } = queue;
  const id = (part) => `alerts-${stream}-${part}`;
  return h(
    'section',
    { class: 'card alert-queue', dataset: { stream }, 'aria-labelledby': id('heading') },
    h('h2', { id: id('heading') }, 'Stream ', h('code', {}, stream)),
    h(
      'p',
      { class: paused ? 'state-warn queue-state' : 'state-ok queue-state' },
      paused ? 'Paused: no new alert starts (events keep queueing)' : 'Running',
    ),
    h('h3', {}, 'On screen'),
    current
      ? h(
          'p',
          { class: 'alert-current' },
          alertLine(current.alert),
          h('span', { class: 'time-left' }, timeLeftText(current)),
        )
      : h('p', { class: 'alert-current muted' }, 'Nothing'),
    h('h3', {}, `Waiting (${waiting.length})`),
    waiting.length === 0
      ? h('p', { class: 'muted' }, 'None')
      : h(
          'ol',
          { class: 'alert-waiting' },
          waiting.map((alert) => h('li', {}, alertLine(alert))),
        ),
    h(
      'div',
      { class: 'toolbar' },
      h('button', { type: 'button', class: 'alert-skip', onclick: () => act('skip', stream) }, 'Skip'),
      paused
        ? h(
            'button',
            { type: 'button', class: 'alert-resume', onclick: () => act('resume', stream) },
            'Resume',
          )
        : h('button', { type: 'button', class: 'alert-pause', onclick: () => act('pause', stream) }, 'Pause'),
    ),
  );
}

/** A select of the stream names, shown only when there are several queues. */
function streamPicker(id, names) {
  const select = h(
    'select',
    { id, name: 'stream' },
    names.map((name) => h('option', { value: name }, name)),
  );
  return { select, field: names.length > 1 ? h('label', { for: id }, 'Stream', select) : null };
}

/** Alerts: each overlay stream's alert queue, its controls, a test alert and a replay by event id. */
export async function render(main, params = []) {
  const [{ streams }, { types }] = await Promise.all([api('/alerts'), api('/catalog')]);
  const names = streams.map((queue) => queue.stream);
  // Not a live region: the time left changes every refresh; the actions' results are announced below.
  const queues = h('div', { id: 'alert-queues' });
  const output = h('div', { id: 'alerts-result', role: 'status' });

  let shownKey;
  function show(list) {
    // When only the time left changed, only that text changes: a button that has the keyboard focus
    // (or is being clicked) stays in place.
    const key = stateKey(list);
    if (key === shownKey) {
      for (const section of queues.querySelectorAll('section.alert-queue')) {
        const current = list.find((queue) => queue.stream === section.dataset.stream)?.current;
        const timeLeft = section.querySelector('.time-left');
        if (timeLeft && current) timeLeft.textContent = timeLeftText(current);
      }
      return;
    }
    shownKey = key;
    replace(
      queues,
      list.length === 0
        ? h(
            'p',
            { class: 'muted' },
            'No stream has an alert queue: add a `streams:` entry to eventsub-relay.yml and restart.',
          )
        : list.map((queue) => queueView(queue, act)),
    );
  }
  async function refresh() {
    try {
      show((await api('/alerts')).streams);
    } catch (failure) {
      replace(output, h('p', { class: 'error', role: 'alert' }, failure.message));
    }
  }
  async function post(action, body, done) {
    try {
      const answer = await api(`/alerts/${action}`, { method: 'POST', body });
      replace(output, done(answer));
      await refresh();
    } catch (failure) {
      replace(output, h('p', { class: 'error', role: 'alert' }, failure.message));
    }
  }
  function act(action, stream) {
    return post(action, { stream }, (answer) =>
      action === 'skip'
        ? h('p', {}, answer.skipped ? ['Skipped: ', answer.skipped.title] : 'Nothing to skip.')
        : h('p', {}, action === 'pause' ? 'Paused.' : 'Resumed.'),
    );
  }

  const known = new Set(types.map((t) => t.type));
  const offered = [
    ...ALERT_TYPES.filter((type) => known.has(type)),
    ...[...known].filter((type) => !ALERT_TYPES.includes(type)).sort(),
  ];
  const typeSelect = h(
    'select',
    { id: 'alert-test-type', name: 'type' },
    offered.map((type) => h('option', { value: type }, type)),
  );
  const testStream = streamPicker('alert-test-stream', names);
  const inputs = TEST_FIELDS.map(({ key, label, value }) => ({
    key,
    label,
    input: h('input', { id: `alert-field-${key}`, name: key, type: 'text', value }),
  }));
  function sendTest(event) {
    event.preventDefault();
    const set = {};
    for (const { key, input } of inputs) if (input.value !== '') set[key] = input.value;
    return post(
      'test',
      { type: typeSelect.value, set, ...(names.length > 1 && { stream: testStream.select.value }) },
      (answer) => h('p', {}, 'Queued: ', answer.alert.title),
    );
  }

  const replayStream = streamPicker('alert-replay-stream', names);
  const eventId = h('input', {
    id: 'alert-replay-id',
    name: 'eventId',
    type: 'text',
    required: true,
    value: params[0] ?? '',
    placeholder: 'Twitch message id',
  });
  function sendReplay(event) {
    event.preventDefault();
    return post(
      'replay',
      { eventId: eventId.value.trim(), ...(names.length > 1 && { stream: replayStream.select.value }) },
      (answer) => h('p', {}, 'Queued again: ', answer.alert.title),
    );
  }

  replace(
    main,
    h('h1', {}, 'Alerts'),
    h(
      'p',
      { class: 'muted' },
      'The alert box’s queue per overlay stream, refreshed every 2 s. Pause holds new alerts (the one on screen finishes); Skip ends the one on screen.',
    ),
    queues,
    output,
    h(
      'form',
      { class: 'card', id: 'alert-test-form', onsubmit: sendTest },
      h('h2', {}, 'Test alert'),
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: 'alert-test-type' }, 'Event type', typeSelect),
        testStream.field,
      ),
      h(
        'div',
        { class: 'toolbar' },
        inputs.map(({ key, label, input }) => h('label', { for: `alert-field-${key}` }, label, input)),
      ),
      h('p', { class: 'muted' }, 'An empty field keeps the sample event’s value.'),
      h('button', { type: 'submit', id: 'alert-test-send' }, 'Send test alert'),
    ),
    h(
      'form',
      { class: 'card', id: 'alert-replay-form', onsubmit: sendReplay },
      h('h2', {}, 'Replay a stored event'),
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: 'alert-replay-id' }, 'Event id', eventId),
        replayStream.field,
      ),
      h('button', { type: 'submit', id: 'alert-replay-send' }, 'Replay as alert'),
    ),
  );
  typeSelect.value = offered.includes('channel.cheer') ? 'channel.cheer' : typeSelect.value;
  show(streams);
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  return () => clearInterval(timer);
}
