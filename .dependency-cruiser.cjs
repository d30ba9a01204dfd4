/* global module */
/**
 * The rooms of src/ and who may import whom (docs/architecture.md). `npm run lint` fails on an
 * import that crosses a wall: the seams stay clean without anyone having to remember them.
 * Each room may import itself and the rooms listed for it, and nothing more than it uses; nothing
 * may import cli/, and only cli/ and the package entry point may import relay/.
 * A sub-room (`delivery/config`) is a room of its own: its parent room does not include it.
 */
const MAY_IMPORT = {
  twitch: [],
  config: ['twitch'],
  intake: ['twitch'],
  observability: [],
  store: ['twitch', 'config', 'observability'],
  sinks: ['twitch', 'config', 'observability'],
  auth: ['config'],
  subscriptions: ['auth', 'twitch', 'config', 'observability'],
  delivery: ['sinks', 'store', 'twitch', 'intake', 'observability'],
  'delivery/config': ['delivery', 'sinks', 'store', 'twitch', 'config', 'observability'],
  receiver: ['twitch', 'intake'],
  transports: ['twitch', 'intake', 'config', 'observability', 'auth', 'subscriptions', 'store'],
  stream: ['twitch', 'store', 'config', 'observability'],
  alerts: ['stream', 'twitch', 'store', 'config', 'observability'],
  server: ['receiver', 'stream', 'intake', 'twitch', 'observability', 'config'],
  admin: ['server', 'stream', 'alerts', 'delivery', 'sinks', 'store', 'twitch', 'config', 'observability'],
  relay: [
    'admin',
    'server',
    'receiver',
    'transports',
    'stream',
    'alerts',
    'delivery',
    'delivery/config',
    'sinks',
    'subscriptions',
    'store',
    'config',
    'observability',
  ],
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The files of a room: its folder, without the folders of its sub-rooms. */
const roomPath = (room) => {
  const subRooms = Object.keys(MAY_IMPORT).filter((other) => other.startsWith(`${room}/`));
  const exclude = subRooms.map((sub) => `${escape(sub.slice(room.length + 1))}/`);
  return `src/${escape(room)}/${exclude.length > 0 ? `(?!${exclude.join('|')})` : ''}`;
};

const roomRules = Object.entries(MAY_IMPORT).map(([room, allowed]) => ({
  name: `${room.replace('/', '-')}-imports`,
  comment: `src/${room}/ may import only: ${[room, ...allowed].join(', ')} (see docs/architecture.md)`,
  severity: 'error',
  from: { path: `^${roomPath(room)}` },
  to: { path: '^src/', pathNot: `^(${[room, ...allowed].map(roomPath).join('|')})` },
}));

module.exports = {
  forbidden: [
    ...roomRules,
    {
      name: 'no-circular',
      comment: 'an import cycle means two files are one idea, or a type is declared in the wrong place',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
