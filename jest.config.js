/**
 * unit: pure logic on the TypeScript sources (and the TaskRouter expression evaluator the emulator and the admin
 * scripts share). emulator: the local Twilio emulator on its own.
 * e2e: the built functions served by the real twilio-run, driven through the emulator by signed webhooks.
 * cli: `npm run setup` and `npm run doctor` as child processes against the emulator.
 * deploy: what `twilio-run deploy` would upload, checked against what the tests ran.
 * browser: the sandbox page (`npm start`'s) driven in real headless Chromium.
 */
const base = {
  testEnvironment: 'node',
  // Only tests/ holds root tests; flex-plugin/ has its own jest and a large node_modules not worth crawling.
  roots: ['<rootDir>/tests'],
  // With tsconfig's isolatedModules, ts-jest only transpiles: `npm test` type-checks once (npm run typecheck), not
  // once more per test file, which cost minutes of CI.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/scripts/runtime-assets.ts'],
};

module.exports = {
  // The e2e flows (two handoffs, a rep, the events between) take tens of seconds on a busy 2-core CI machine.
  testTimeout: 60000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts', '<rootDir>/tests/taskrouter-expressions/**/*.test.ts'],
    },
    { ...base, displayName: 'emulator', testMatch: ['<rootDir>/tests/emulator/**/*.test.ts'] },
    { ...base, displayName: 'cli', testMatch: ['<rootDir>/tests/cli/**/*.test.ts'] },
    { ...base, displayName: 'deploy', testMatch: ['<rootDir>/tests/deploy/**/*.test.ts'] },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/tests/browser/**/*.test.ts'] },
  ],
};
