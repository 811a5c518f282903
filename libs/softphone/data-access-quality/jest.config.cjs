module.exports = {
  displayName: 'softphone-data-access-quality',
  preset: '../../../jest.angular.preset.cjs',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../../coverage/libs/softphone/data-access-quality',
};
