import { h, replace } from '../dom.js';

/** Test: Send any catalog type's sample through the relay's /callback, signed, with fields you edit. */
export function render(main) {
  replace(
    main,
    h('h1', {}, 'Test'),
    h('p', {}, 'Send any catalog type’s sample through the relay’s /callback, signed, with fields you edit.'),
    h('p', { class: 'muted' }, 'From a terminal: ', h('code', {}, 'eventsub-relay trigger <type>'), '.'),
  );
}
