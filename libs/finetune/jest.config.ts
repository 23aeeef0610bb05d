export default {
  displayName: 'finetune',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/finetune',
};
