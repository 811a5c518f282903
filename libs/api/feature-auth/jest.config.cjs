module.exports = {
  displayName: 'api-feature-auth',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }]
  },
  // The admin specs run on the embedded engine (PGlite), which takes seconds to start on shared cores.
  testTimeout: 60_000,
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../../coverage/libs/api/feature-auth'
};
