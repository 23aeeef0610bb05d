export default {
  displayName: 'sentiment',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/sentiment',
};
