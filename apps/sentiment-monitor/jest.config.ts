export default {
  displayName: 'sentiment-monitor',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/sentiment-monitor',
  // The integration specs train and load the real model and run Kafka stages; one worker keeps them inside the budget on 2 cores.
  maxWorkers: 1,
};
