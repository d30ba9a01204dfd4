import { h, replace } from '../dom.js';

/** Health: The doctor report with its fixes, events per minute, acknowledgement latency and backlog. */
export function render(main) {
  replace(
    main,
    h('h1', {}, 'Health'),
    h('p', {}, 'The doctor report with its fixes, events per minute, acknowledgement latency and backlog.'),
    h('p', { class: 'muted' }, 'From a terminal: ', h('code', {}, 'eventsub-relay doctor'), '.'),
  );
}
