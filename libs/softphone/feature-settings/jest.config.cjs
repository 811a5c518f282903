module.exports = {
  displayName: 'softphone-feature-settings',
  preset: '../../../jest.angular.preset.cjs',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../../coverage/libs/softphone/feature-settings',
};
