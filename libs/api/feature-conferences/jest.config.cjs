module.exports = {
  displayName: 'api-feature-conferences',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }]
  },
  // PGlite (the repository spec) takes seconds to start on 2 shared cores; the default 5 s is not enough.
  testTimeout: 60_000,
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../../coverage/libs/api/feature-conferences'
};
