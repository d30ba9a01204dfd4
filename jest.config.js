// twurple 8 is ESM-only, so jest runs in native ESM mode (ts-jest useESM + --experimental-vm-modules).
// Two projects: `unit` needs only Node (npm test); `services` needs PostgreSQL, Redis, NATS, nginx… (npm run test:services).
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/test/unit/**/*.test.ts',
        '<rootDir>/test/integration/**/*.test.ts',
        // The adversarial suite: bounded to about a minute here; `npm run fuzz -- --minutes N` runs it longer.
        '<rootDir>/test/fuzz/**/*.test.ts',
      ],
    },
    { ...common, displayName: 'services', testMatch: ['<rootDir>/test/services/**/*.test.ts'] },
  ],
  // A guard against a hung test, not a speed check: process-level suites on a busy 2-core machine take tens of seconds.
  testTimeout: 60000,
  // Jest's default on 2 cores is 1 worker, which leaves a core idle while a suite waits on a child
  // process, a socket or a retry timer. Measured on the 2-core CI size with a mixed set of suites:
  // 1 worker ~145 s, 2 ~105 s, 3 ~80 s, each passing; 3 keeps the CPU busy without piling up
  // process-level suites that wait on start-up. (`npm run test:services` stays --runInBand.)
  maxWorkers: 3,
};
