module.exports = {
  displayName: 'softphone-voice-sdk-adapter',
  preset: '../../../jest.angular.preset.cjs',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../../coverage/libs/softphone/voice-sdk-adapter',
};
