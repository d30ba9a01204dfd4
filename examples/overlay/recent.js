import { RECENT_LINES, TYPE_ALIASES } from './event-lines.js';
import { followSession, params } from './widget.js';

// limit  how many events to list, newest first (default 5, at most 25)
// types  which types, comma-separated: short names (follow, sub, resub, gift, cheer, bits, raid,
//        redemption, hypetrain, charity) or full type names (default: all of them)
const limit = Math.min(Math.max(Number(params.get('limit') ?? 5) || 5, 1), 25);
const wanted = (params.get('types') ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean)
  .flatMap((name) =>
    name === 'hypetrain'
      ? ['channel.hype_train.begin', 'channel.hype_train.end']
      : [TYPE_ALIASES[name] ?? name],
  );
const types = wanted.length ? wanted : Object.keys(RECENT_LINES);

const list = document.getElementById('recent');

followSession(types, (session) => {
  const items = session.recent
    .filter((item) => types.includes(item.type))
    .map((item) => ({ item, text: RECENT_LINES[item.type]?.(item.event) }))
    .filter(({ text }) => text)
    .slice(-limit)
    .reverse();
  list.replaceChildren(
    ...items.map(({ item, text }) => {
      const entry = document.createElement('li');
      entry.className = `recent-item recent-${item.type.replaceAll('.', '-')}`;
      entry.dataset.seq = String(item.seq);
      entry.textContent = text;
      entry.title = text;
      return entry;
    }),
  );
});
