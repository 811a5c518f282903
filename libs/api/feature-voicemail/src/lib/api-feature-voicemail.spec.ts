import { apiFeatureVoicemail } from './api-feature-voicemail';

describe('apiFeatureVoicemail', () => {
  it('should work', () => {
    expect(apiFeatureVoicemail()).toEqual('api-feature-voicemail');
  })
})
