export default {
  displayName: 'recommender',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/recommender',
  // The integration specs train and load the real models and run Kafka consumers; one worker keeps them inside the budget on 2 cores.
  maxWorkers: 1,
};
