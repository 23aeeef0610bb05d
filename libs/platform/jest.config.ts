/* eslint-disable */
export default {
  displayName: 'platform',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/platform',
};
