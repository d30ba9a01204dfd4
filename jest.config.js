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
};
