import { api } from '../api.js';
import { h, replace } from '../dom.js';

const HEALTHY = new Set(['enabled', 'webhook_callback_verification_pending']);
const col = (text) => h('th', { scope: 'col' }, text);
const conditionText = (condition) =>
  Object.entries(condition ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

function twitchTable(view) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'subs-twitch' },
    h('h2', { id: 'subs-twitch' }, 'On Twitch'),
    h(
      'p',
      { class: 'muted' },
      `${view.total} subscription(s), cost ${view.totalCost} of ${view.maxTotalCost}`,
    ),
    h(
      'table',
      { id: 'twitch-subscriptions' },
      h(
        'thead',
        {},
        h('tr', {}, col('Type'), col('Condition'), col('Status'), col('Transport'), col('Cost')),
      ),
      h(
        'tbody',
        {},
        view.twitch.map((s) =>
          h(
            'tr',
            { dataset: { id: s.id } },
            h('td', {}, `${s.type} v${s.version}`),
            h('td', {}, h('code', {}, conditionText(s.condition))),
            h('td', { class: `status ${HEALTHY.has(s.status) ? 'state-ok' : 'state-bad'}` }, s.status),
            h('td', {}, s.method ?? 'webhook', s.callback ? h('div', { class: 'muted' }, s.callback) : null),
            h('td', {}, s.cost),
          ),
        ),
      ),
    ),
  );
}

function configTable(view) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'subs-config' },
    h('h2', { id: 'subs-config' }, 'In the config file'),
    view.config.length === 0
      ? h('p', { class: 'muted' }, 'No ', h('code', {}, 'subscriptions:'), ' list in the config file.')
      : h(
          'table',
          { id: 'config-subscriptions' },
          h('thead', {}, h('tr', {}, col('Type'), col('Broadcaster'), col('Condition'))),
          h(
            'tbody',
            {},
            view.config.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, `${e.type}${e.version ? ` v${e.version}` : ''}`),
                h('td', {}, e.broadcaster ?? ''),
                h('td', {}, h('code', {}, conditionText(e.condition))),
              ),
            ),
          ),
        ),
  );
}

/** The sync plan preview, then apply (with a confirmation when it deletes or recreates). */
function syncSection() {
  const box = (id, label) => {
    const input = h('input', { type: 'checkbox', id, name: id });
    return { input, label: h('label', { for: id, class: 'check' }, input, ' ', label) };
  };
  const prune = box('sync-prune', 'also delete our subscriptions that are not in the list (--prune)');
  const rotate = box('sync-rotate', 'recreate with the current secret (--rotate-secret)');
  const insecure = box('sync-insecure', 'allow a callback that is not https on 443 (local tests)');
  const plan = h('div', { id: 'sync-plan', 'aria-live': 'polite' });
  const apply = h('button', { type: 'button', id: 'sync-apply', disabled: true }, 'Apply');
  const options = () => ({
    prune: prune.input.checked,
    rotateSecret: rotate.input.checked,
    allowInsecureCallback: insecure.input.checked,
  });
  let previewed;
  async function preview() {
    apply.disabled = true;
    replace(plan, h('p', { class: 'muted' }, 'Asking Twitch…'));
    try {
      previewed = await api('/sync/plan', { method: 'POST', body: options() });
      replace(plan, h('pre', { class: 'payload', id: 'sync-plan-text' }, previewed.text));
      apply.disabled = previewed.changes === 0;
    } catch (failure) {
      replace(plan, h('p', { class: 'error', role: 'alert' }, failure.message));
    }
  }
  apply.addEventListener('click', async () => {
    if (
      previewed.destructive > 0 &&
      !window.confirm(`Delete or recreate ${previewed.destructive} subscription(s) on Twitch?`)
    )
      return;
    apply.disabled = true;
    try {
      const done = await api('/sync/apply', { method: 'POST', body: { ...options(), yes: true } });
      replace(
        plan,
        h(
          'pre',
          { class: 'payload', id: 'sync-applied' },
          [...done.applied, `applied ${done.changes} change(s)`].join('\n'),
        ),
      );
    } catch (failure) {
      replace(plan, h('p', { class: 'error', role: 'alert' }, failure.message));
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'subs-sync' },
    h('h2', { id: 'subs-sync' }, 'Sync'),
    h(
      'p',
      { class: 'muted' },
      'Make Twitch match the config file’s list, as ',
      h('code', {}, 'eventsub-relay sync'),
      ' does.',
    ),
    h('div', { class: 'checks' }, prune.label, rotate.label, insecure.label),
    h(
      'div',
      { class: 'row-actions' },
      h('button', { type: 'button', id: 'sync-preview', onclick: preview }, 'Preview plan'),
      apply,
    ),
    plan,
  );
}

/** Whether a user's scopes satisfy every group of a type (any one scope per group). */
const missingGroups = (entry, scopes) =>
  entry.scopes.filter((group) => !group.some((s) => scopes.includes(s)));

/** Add one subscription from the catalog: its condition fields, its scopes and who has granted them. */
function addSection(types, authorized) {
  const select = h(
    'select',
    { id: 'add-type', name: 'type' },
    types.map((t, i) => h('option', { value: String(i) }, `${t.type} v${t.version}`)),
  );
  const broadcaster = h('input', {
    id: 'add-broadcaster',
    name: 'broadcaster',
    placeholder: 'login or user id',
  });
  const fields = h('div', { class: 'toolbar', id: 'add-fields' });
  const scopes = h('div', { id: 'add-scopes' });
  const output = h('div', { 'aria-live': 'polite' });
  const inputs = {};
  function show() {
    const entry = types[Number(select.value)];
    for (const key of Object.keys(inputs)) delete inputs[key];
    replace(
      fields,
      entry.condition.map((f) => {
        const input = h('input', {
          id: `cond-${f.name}`,
          name: f.name,
          placeholder: f.optional ? 'optional' : 'from the broadcaster',
        });
        inputs[f.name] = input;
        return h('label', { for: `cond-${f.name}` }, f.name, input);
      }),
    );
    const needed = entry.scopes.length ? entry.scopes.map((g) => g.join(' or ')).join(' + ') : 'none';
    replace(
      scopes,
      h('p', {}, 'Authorized by: ', entry.authorizedByText, '. Scopes: ', h('code', {}, needed)),
      entry.note ? h('p', { class: 'muted' }, entry.note) : null,
      entry.scopes.length === 0
        ? null
        : authorized.length === 0
          ? h(
              'p',
              { class: 'state-warn' },
              'No user has authorized this app yet: run ',
              h('code', {}, 'eventsub-relay auth login'),
              '.',
            )
          : h(
              'ul',
              { class: 'scope-check' },
              authorized.map((user) => {
                const missing = missingGroups(entry, user.scopes);
                return h(
                  'li',
                  { class: missing.length ? 'state-bad' : 'state-ok' },
                  missing.length
                    ? `✗ ${user.login} lacks ${missing.map((g) => g.join(' or ')).join(', ')}`
                    : `✔ ${user.login} has the scopes`,
                );
              }),
            ),
    );
  }
  select.addEventListener('change', show);
  async function submit(event) {
    event.preventDefault();
    const entry = types[Number(select.value)];
    const condition = {};
    for (const [name, input] of Object.entries(inputs)) if (input.value) condition[name] = input.value;
    try {
      const outcome = await api('/subscriptions', {
        method: 'POST',
        body: {
          type: entry.type,
          version: entry.version,
          condition,
          ...(broadcaster.value && { broadcaster: broadcaster.value }),
        },
      });
      replace(output, h('p', { class: 'state-ok' }, outcome.message));
    } catch (failure) {
      replace(output, h('p', { class: 'error', role: 'alert' }, failure.message));
    }
  }
  const form = h(
    'form',
    { class: 'card', id: 'add-form', onsubmit: submit, 'aria-labelledby': 'subs-add' },
    h('h2', { id: 'subs-add' }, 'Add a subscription'),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'add-type' }, 'Type', select),
      h('label', { for: 'add-broadcaster' }, 'Broadcaster', broadcaster),
    ),
    fields,
    scopes,
    h('button', { type: 'submit' }, 'Subscribe'),
    output,
  );
  show();
  return form;
}

/** Subscriptions: Twitch's view beside the config's list, the sync plan, and a form to add one. */
export async function render(main) {
  const [{ types }, view] = await Promise.all([
    api('/catalog'),
    api('/subscriptions').catch((failure) => ({ failure })),
  ]);
  replace(
    main,
    h('h1', {}, 'Subscriptions'),
    view.failure
      ? h('p', { class: 'error', role: 'alert' }, view.failure.message)
      : h('div', { class: 'columns' }, twitchTable(view), configTable(view)),
    syncSection(),
    addSection(types, view.failure ? [] : view.authorized),
  );
}
