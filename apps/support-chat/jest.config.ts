export default {
  displayName: 'support-chat',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/support-chat',
  // The integration spec trains and loads real models; one worker keeps it inside the budget on 2 cores.
  maxWorkers: 1,
};
