module.exports = {
  displayName: 'softphone-feature-sign-in',
  preset: '../../../jest.angular.preset.cjs',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../../coverage/libs/softphone/feature-sign-in',
};
