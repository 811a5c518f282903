import { sharedVoiceModel } from './shared-voice-model';

describe('sharedVoiceModel', () => {
  it('should work', () => {
    expect(sharedVoiceModel()).toEqual('shared-voice-model');
  })
})
