module.exports = {
  displayName: 'softphone',
  preset: '../../jest.angular.preset.cjs',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../coverage/apps/softphone',
};
