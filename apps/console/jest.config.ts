// Unit specs of the BFF (fake backends, no services). The browser specs have their own config (jest.browser.config.ts).
export default {
  displayName: 'console',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/console',
};
