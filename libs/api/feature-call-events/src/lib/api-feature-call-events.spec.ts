import { apiFeatureCallEvents } from './api-feature-call-events';

describe('apiFeatureCallEvents', () => {
  it('should work', () => {
    expect(apiFeatureCallEvents()).toEqual('api-feature-call-events');
  })
})
