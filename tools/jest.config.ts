export default {
  displayName: 'tools',
  preset: '../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/checks/**/*.spec.ts', '<rootDir>/bench/**/*.spec.ts', '<rootDir>/replay/**/*.spec.ts', '<rootDir>/grpc/**/*.spec.ts', '<rootDir>/demo/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
};
