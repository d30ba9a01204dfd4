import { h, replace } from '../dom.js';

/** Deliveries: Pending and dead deliveries per sink, with bulk replay. */
export function render(main) {
  replace(
    main,
    h('h1', {}, 'Deliveries'),
    h('p', {}, 'Pending and dead deliveries per sink, with bulk replay.'),
    h('p', { class: 'muted' }, 'From a terminal: ', h('code', {}, 'eventsub-relay events dead'), '.'),
  );
}
