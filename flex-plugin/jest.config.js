/**
 * Card and registration tests under jsdom. Times are checked in UTC; the real @twilio/flex-ui bundle loads
 * under jsdom with the Node export conditions (jsdom's "browser" ones pick ESM-only builds of its
 * dependencies) and a media-element stub (tests/setup.ts).
 */
process.env.TZ = 'UTC';

module.exports = {
  testEnvironment: 'jsdom',
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
  // Transpile only: `npm test` runs tsc -p . first, so ts-jest need not type-check each file again.
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      { tsconfig: { jsx: 'react', module: 'commonjs', esModuleInterop: true, isolatedModules: true } },
    ],
  },
  testMatch: ['<rootDir>/tests/**/*.test.ts?(x)'],
  setupFiles: ['<rootDir>/tests/setup.ts'],
  setupFilesAfterEnv: ['@testing-library/jest-dom'],
  // CI's closing line counts these tests too (.ci/run names the file).
  ...(process.env.PLUGIN_TEST_RESULTS && { testResultsProcessor: '<rootDir>/tests/results-file.js' }),
};
