export default {
  displayName: 'trainer',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/trainer',
  // The CLI specs spawn real fine-tuning runs; one at a time keeps them inside the time budget on 2 cores.
  maxWorkers: 1,
};
