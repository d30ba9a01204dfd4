/* global module */
/**
 * The rooms of src/ and who may import whom (docs/architecture.md). `npm run lint` fails on an
 * import that crosses a wall: the seams stay clean without anyone having to remember them.
 * Each room may import itself and the rooms listed for it; nothing may import cli/, and only
 * cli/ and the package entry point may import relay/.
 */
const MAY_IMPORT = {
  twitch: [],
  config: ['twitch'],
  intake: ['twitch'],
  observability: ['config'],
  store: ['twitch', 'config', 'observability'],
  sinks: ['twitch', 'config', 'observability'],
  auth: ['config', 'observability', 'twitch'],
  subscriptions: ['auth', 'twitch', 'config', 'observability'],
  delivery: ['sinks', 'store', 'twitch', 'intake', 'config', 'observability'],
  receiver: ['twitch', 'intake'],
  transports: ['twitch', 'intake', 'config', 'observability', 'auth', 'subscriptions'],
  stream: ['twitch', 'intake', 'store', 'delivery', 'config', 'observability'],
  server: ['receiver', 'stream', 'intake', 'twitch', 'observability', 'config'],
  relay: [
    'server',
    'receiver',
    'transports',
    'stream',
    'delivery',
    'sinks',
    'subscriptions',
    'auth',
    'store',
    'twitch',
    'intake',
    'config',
    'observability',
  ],
};

const roomRules = Object.entries(MAY_IMPORT).map(([room, allowed]) => ({
  name: `${room}-imports`,
  comment: `src/${room}/ may import only: ${[room, ...allowed].join(', ')} (see docs/architecture.md)`,
  severity: 'error',
  from: { path: `^src/${room}/` },
  to: { path: '^src/', pathNot: `^src/(${[room, ...allowed].join('|')})/` },
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
