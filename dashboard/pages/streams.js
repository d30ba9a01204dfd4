import { api } from '../api.js';
import { h, replace } from '../dom.js';

/** The clipboard API needs a secure context (https or localhost); on a plain-HTTP LAN page, select and copy. */
async function copyText(text, fallbackInput) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return true;
  }
  fallbackInput.value = text;
  fallbackInput.hidden = false;
  fallbackInput.select();
  return document.execCommand('copy');
}

function streamRow(stream) {
  const status = h('span', { class: 'muted', 'aria-live': 'polite' });
  const token = h('code', { class: 'token', hidden: true });
  const manual = h('input', {
    type: 'text',
    readonly: true,
    hidden: true,
    'aria-label': `overlay URL of ${stream.name}`,
  });
  const overlay = new URL(`..${stream.overlayPath}`, document.baseURI).toString();
  const fetchToken = () => api(`/streams/${encodeURIComponent(stream.name)}/token`, { method: 'POST' });
  async function copy() {
    try {
      const { overlayPath } = await fetchToken();
      const url = new URL(`..${overlayPath}`, document.baseURI).toString();
      status.textContent = (await copyText(url, manual)) ? 'copied' : 'select the URL and copy it';
    } catch (failure) {
      status.textContent = failure.message;
    }
  }
  async function show(event) {
    const button = event.currentTarget;
    if (!token.hidden) {
      token.hidden = true;
      button.textContent = 'Show token';
      return;
    }
    token.textContent = (await fetchToken()).token;
    token.hidden = false;
    button.textContent = 'Hide token';
  }
  return h(
    'tr',
    { dataset: { stream: stream.name } },
    h('th', { scope: 'row' }, stream.name),
    h('td', { class: 'clients' }, `${stream.clients} / ${stream.maxClients}`),
    h(
      'td',
      {},
      h('code', {}, `${overlay}&token=…`),
      manual,
      h(
        'div',
        { class: 'row-actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'copy',
            onclick: copy,
            'aria-label': `Copy the overlay URL of ${stream.name}`,
          },
          'Copy URL',
        ),
        h(
          'button',
          { type: 'button', class: 'quiet', onclick: show, 'aria-label': `Show the token of ${stream.name}` },
          'Show token',
        ),
        status,
      ),
      token,
    ),
  );
}

/** Streams: each live stream's overlay URL with a copy button (token on click), connected clients. */
export async function render(main) {
  const { streams } = await api('/streams');
  replace(
    main,
    h('h1', {}, 'Streams'),
    streams.length === 0
      ? h(
          'p',
          {},
          'No live streams are configured: add a ',
          h('code', {}, 'streams:'),
          ' entry to eventsub-relay.yml (docs/streams.md).',
        )
      : h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Stream'),
              h('th', { scope: 'col' }, 'Clients'),
              h('th', { scope: 'col' }, 'Overlay URL (OBS browser source)'),
            ),
          ),
          h('tbody', {}, streams.map(streamRow)),
        ),
    h(
      'p',
      { class: 'muted' },
      'The URL holds the stream’s token: whoever has it can read the stream. From a terminal: ',
      h('code', {}, 'eventsub-relay stream tail --stream <name>'),
      '.',
    ),
  );
}
