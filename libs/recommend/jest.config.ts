export default {
  displayName: 'recommend',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/recommend',
};
