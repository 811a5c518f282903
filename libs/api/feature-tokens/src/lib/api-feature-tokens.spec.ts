import { apiFeatureTokens } from './api-feature-tokens';

describe('apiFeatureTokens', () => {
  it('should work', () => {
    expect(apiFeatureTokens()).toEqual('api-feature-tokens');
  })
})
