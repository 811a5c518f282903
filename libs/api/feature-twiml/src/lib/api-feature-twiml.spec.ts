import { apiFeatureTwiml } from './api-feature-twiml';

describe('apiFeatureTwiml', () => {
  it('should work', () => {
    expect(apiFeatureTwiml()).toEqual('api-feature-twiml');
  })
})
