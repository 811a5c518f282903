module.exports = {
  displayName: 'softphone-feature-floor',
  preset: '../../../jest.angular.preset.cjs',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../../coverage/libs/softphone/feature-floor',
};
