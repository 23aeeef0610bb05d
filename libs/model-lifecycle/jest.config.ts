export default {
  displayName: 'model-lifecycle',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/model-lifecycle',
};
