import { apiFeatureCallHistory } from './api-feature-call-history';

describe('apiFeatureCallHistory', () => {
  it('should work', () => {
    expect(apiFeatureCallHistory()).toEqual('api-feature-call-history');
  })
})
