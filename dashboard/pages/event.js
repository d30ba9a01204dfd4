import { h, replace } from '../dom.js';

/** Event: The payload as received, and every delivery attempt per sink. */
export function render(main) {
  replace(
    main,
    h('h1', {}, 'Event'),
    h('p', {}, 'The payload as received, and every delivery attempt per sink.'),
    h('p', { class: 'muted' }, 'From a terminal: ', h('code', {}, 'eventsub-relay events show <id>'), '.'),
  );
}
