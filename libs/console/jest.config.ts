export default {
  displayName: 'console-lib',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/console',
};
