export default {
  displayName: 'platform-client',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
};
