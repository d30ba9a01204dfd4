import { followSession, formatNumber, params } from './widget.js';

// show  which counters, comma-separated, in this order (default follows,subs,bits)
const LABELS = { follows: 'Follows', subs: 'Subs', bits: 'Bits' };
const shown = (params.get('show') ?? 'follows,subs,bits')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => Object.hasOwn(LABELS, name));

const counters = document.getElementById('counters');
const TYPES = [
  'stream.online',
  'channel.follow',
  'channel.subscribe',
  'channel.subscription.message',
  'channel.subscription.gift',
  'channel.cheer',
  'channel.bits.use',
];

followSession(TYPES, (session) => {
  counters.replaceChildren(
    ...shown.map((name) => {
      const group = document.createElement('div');
      group.className = `counter counter-${name}`;
      const label = document.createElement('dt');
      label.textContent = LABELS[name];
      const value = document.createElement('dd');
      value.textContent = formatNumber(session.counters[name] ?? 0);
      group.append(label, value);
      return group;
    }),
  );
});
