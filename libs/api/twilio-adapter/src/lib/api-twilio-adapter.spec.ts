import { apiTwilioAdapter } from './api-twilio-adapter';

describe('apiTwilioAdapter', () => {
  it('should work', () => {
    expect(apiTwilioAdapter()).toEqual('api-twilio-adapter');
  })
})
