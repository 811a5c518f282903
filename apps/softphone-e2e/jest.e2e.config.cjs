// Named jest.e2e.config so the inferred `test` target skips it: these specs need the built apps and a browser.
module.exports = {
  displayName: 'softphone-e2e',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/specs/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: {
    '^@switchboard/shared-contracts$': '<rootDir>/../../libs/shared/contracts/src/index.ts',
    '^@switchboard/shared-sandbox-defaults$': '<rootDir>/../../libs/shared/sandbox-defaults/src/index.ts',
  },
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  globalTeardown: '<rootDir>/src/support/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 1,
};
