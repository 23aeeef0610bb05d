// Browser specs: Debian chromium via playwright-core against the real services and the console,
// started once by globalSetup (test/support/platform.ts) and stopped by globalTeardown.
export default {
  displayName: 'console-browser',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.browser.spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 120_000,
};
