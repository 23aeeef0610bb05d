export default {
  displayName: 'platform',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/platform',
  // jose is ESM-only; Node 20.19+ can require() it, but Jest's module loader cannot,
  // so the auth specs compile it to CommonJS. Any project whose specs exercise JWT
  // auth needs these two entries too.
  transform: {
    '^.+/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
