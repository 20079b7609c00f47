module.exports = {
  displayName: 'console',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js'],
  // The console's logic (src/lib): pure functions, no DOM. The pages are tested in a real
  // browser by apps/system-e2e/src/console.e2e.spec.ts.
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
