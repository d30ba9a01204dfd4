import { h, replace } from '../dom.js';

/** Live: Events as they arrive, with a one-line gist, a type filter and search by user or message id. */
export function render(main) {
  replace(
    main,
    h('h1', {}, 'Live'),
    h(
      'p',
      {},
      'Events as they arrive, with a one-line gist, a type filter and search by user or message id.',
    ),
    h('p', { class: 'muted' }, 'From a terminal: ', h('code', {}, 'eventsub-relay events list'), '.'),
  );
}
