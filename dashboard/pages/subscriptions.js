import { h, replace } from '../dom.js';

/** Subscriptions: Twitch's view of the subscriptions beside the config's list, the sync plan and a form to add one. */
export function render(main) {
  replace(
    main,
    h('h1', {}, 'Subscriptions'),
    h(
      'p',
      {},
      'Twitch’s view of the subscriptions beside the config’s list, the sync plan and a form to add one.',
    ),
    h(
      'p',
      { class: 'muted' },
      'From a terminal: ',
      h('code', {}, 'eventsub-relay list; eventsub-relay sync --dry-run'),
      '.',
    ),
  );
}
