import { api } from '../api.js';
import { h, replace } from '../dom.js';

/** Labels and starting values of the keys people change most; any other key the type has is offered too. */
const FIELDS = {
  user: { label: 'User name', value: 'Cool_User' },
  bits: { label: 'Bits', value: '100' },
  viewers: { label: 'Viewers', value: '42' },
  message: { label: 'Message', value: 'Hello from the dashboard' },
};

function resultView(url, results) {
  return h(
    'ul',
    { class: 'results' },
    results.map((r) =>
      h(
        'li',
        { class: r.ok ? 'state-ok' : 'state-bad' },
        `${r.ok ? '✔' : '✗'} ${r.messageType} ${r.type} v${r.version} → ${url}: `,
        r.status === undefined ? 'no answer' : String(r.status),
        ', ',
        r.verdict,
        ' — message id ',
        h('code', { class: 'message-id' }, r.messageId),
      ),
    ),
  );
}

/** Test: send any catalog type's sample, edited, through the relay's real /callback, signed. */
export async function render(main) {
  const { types } = await api('/catalog');
  const sendable = types;
  const typeSelect = h(
    'select',
    { id: 'test-type', name: 'type' },
    sendable.map((t) => h('option', { value: `${t.type}@${t.version}` }, `${t.type} v${t.version}`)),
  );
  typeSelect.value = sendable.some((t) => t.type === 'channel.chat.message')
    ? 'channel.chat.message@1'
    : typeSelect.value;
  const broadcaster = h('input', {
    id: 'test-broadcaster',
    name: 'broadcaster',
    inputmode: 'numeric',
    pattern: '\\d+',
    placeholder: '1337',
  });
  const fields = h('div', { class: 'toolbar', id: 'test-fields' });
  const inputs = {};
  const output = h('div', { id: 'test-result', 'aria-live': 'polite' });
  function showFields() {
    const entry = sendable.find((t) => `${t.type}@${t.version}` === typeSelect.value);
    for (const key of Object.keys(inputs)) delete inputs[key];
    replace(
      fields,
      entry.editable.length === 0
        ? h('p', { class: 'muted' }, 'This type has no user, amount or message to change.')
        : null,
      entry.editable.map(({ key, describe }) => {
        const known = FIELDS[key];
        const input = h('input', {
          id: `field-${key}`,
          name: key,
          type: 'text',
          value: known?.value ?? '',
          placeholder: describe,
          'aria-describedby': `field-${key}-help`,
        });
        inputs[key] = input;
        return h(
          'label',
          { for: `field-${key}` },
          known?.label ?? key,
          input,
          h('span', { class: 'muted help', id: `field-${key}-help` }, describe),
        );
      }),
    );
  }
  typeSelect.addEventListener('change', showFields);
  async function send(event) {
    event.preventDefault();
    const [type, version] = typeSelect.value.split('@');
    const set = Object.entries(inputs)
      .filter(([, input]) => input.value !== '')
      .map(([key, input]) => ({ key, value: input.value }));
    const button = event.submitter;
    if (button) button.disabled = true;
    try {
      const { url, results } = await api('/trigger', {
        method: 'POST',
        body: { type, version, set, ...(broadcaster.value && { broadcaster: broadcaster.value }) },
      });
      replace(output, resultView(url, results));
    } catch (failure) {
      replace(output, h('p', { class: 'error', role: 'alert' }, failure.message));
    } finally {
      if (button) button.disabled = false;
    }
  }
  replace(
    main,
    h('h1', {}, 'Test'),
    h(
      'p',
      { class: 'muted' },
      'Sends a sample event, signed with the relay’s EventSub secret, through its real ',
      h('code', {}, '/callback'),
      ': it is verified, stored and delivered to the sinks like one from Twitch.',
    ),
    h(
      'form',
      { class: 'card', id: 'test-form', onsubmit: send },
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: 'test-type' }, 'Event type', typeSelect),
        h('label', { for: 'test-broadcaster' }, 'Broadcaster id', broadcaster),
      ),
      fields,
      h('button', { type: 'submit', id: 'test-send' }, 'Send test event'),
    ),
    output,
  );
  showFields();
}
