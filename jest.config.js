// Every process the tests start (`gongflow` commands included) runs the sources, never a stale dist/ build.
process.env.GONGFLOW_FROM_SOURCES = '1';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // ky and cel-js are ESM-only: let swc turn them into CommonJS like our own sources.
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!(ky|@marcbachmann/cel-js)/)'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.tools/', '/.gongflow/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  testEnvironmentOptions: { globalsCleanup: 'off' },
  maxWorkers: 2,
};
