import { h, replace } from '../dom.js';

/** Streams: Each live stream's overlay URL and its connected clients. */
export function render(main) {
  replace(
    main,
    h('h1', {}, 'Streams'),
    h('p', {}, 'Each live stream’s overlay URL and its connected clients.'),
    h(
      'p',
      { class: 'muted' },
      'From a terminal: ',
      h('code', {}, 'eventsub-relay stream tail --stream <name>'),
      '.',
    ),
  );
}
