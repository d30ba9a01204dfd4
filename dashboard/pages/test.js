import { api } from '../api.js';
import { h, replace } from '../dom.js';

/** The editable fields a sample may have (the API's `editable`), with their inputs. */
const FIELDS = {
  userName: { label: 'User name', type: 'text', value: 'Cool_User' },
  bits: { label: 'Bits', type: 'number', value: '100' },
  viewers: { label: 'Viewers', type: 'number', value: '42' },
  message: { label: 'Message', type: 'text', value: 'Hello from the dashboard' },
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
  const sendable = types.filter((t) => t.editable !== undefined);
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
        ? h('p', { class: 'muted' }, 'This type has no user, bits, viewers or message to edit.')
        : null,
      entry.editable.map((name) => {
        const spec = FIELDS[name];
        const input = h('input', {
          id: `field-${name}`,
          name,
          type: spec.type,
          value: spec.value,
          ...(spec.type === 'number' && { min: 0 }),
        });
        inputs[name] = input;
        return h('label', { for: `field-${name}` }, spec.label, input);
      }),
    );
  }
  typeSelect.addEventListener('change', showFields);
  async function send(event) {
    event.preventDefault();
    const [type, version] = typeSelect.value.split('@');
    const edits = {};
    for (const [name, input] of Object.entries(inputs)) {
      if (input.value === '') continue;
      edits[name] = FIELDS[name].type === 'number' ? Number(input.value) : input.value;
    }
    const button = event.submitter;
    if (button) button.disabled = true;
    try {
      const { url, results } = await api('/trigger', {
        method: 'POST',
        body: { type, version, edits, ...(broadcaster.value && { broadcaster: broadcaster.value }) },
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
