module.exports = {
  displayName: 'softphone-feature-insights',
  preset: '../../../jest.angular.preset.cjs',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../../coverage/libs/softphone/feature-insights',
};
