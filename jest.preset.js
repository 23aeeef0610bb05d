// Shared jest settings: ts-jest in transpile-only mode (isolatedModules is set in each
// tsconfig.spec.json; type errors are caught by the `typecheck` target, so tests stay
// fast) and one node environment everywhere.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: require('node:path').join(__dirname, 'tools/jest/node-environment.js'),
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` }),
  testMatch: ['**/*.spec.ts'],
  // In the git-ignored .cache, not os.tmpdir(): tools/test.sh gives each run its own TMPDIR and
  // removes it, and the ts-jest transform cache should outlive a run.
  cacheDirectory: require('node:path').join(__dirname, '.cache', 'jest'),
};
