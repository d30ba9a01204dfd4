import { h, replace } from '../dom.js';

/** Sinks: Each sink's state, backlog, oldest pending age, last error and success rate. */
export function render(main) {
  replace(
    main,
    h('h1', {}, 'Sinks'),
    h('p', {}, 'Each sink’s state, backlog, oldest pending age, last error and success rate.'),
    h('p', { class: 'muted' }, 'From a terminal: ', h('code', {}, 'eventsub-relay doctor'), '.'),
  );
}
