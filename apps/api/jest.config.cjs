module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }]
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // PGlite starts in about a second; a whole suite (app + DB + seed) needs more than the default 5 s on 2 shared cores.
  testTimeout: 60_000,
  // @fastify/static 10 requires content-disposition 3, which is ESM-only; Node 20 loads it through
  // require(esm) but Jest's module runtime cannot. Version 2 (CommonJS) has the same `create` API.
  moduleNameMapper: { '^content-disposition$': '<rootDir>/../../node_modules/content-disposition/dist/index.js' },
  coverageDirectory: '../../coverage/apps/api'
};
