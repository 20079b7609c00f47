module.exports = {
  displayName: 'system-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  // These specs start whole systems as processes.
  testTimeout: 120000,
};
