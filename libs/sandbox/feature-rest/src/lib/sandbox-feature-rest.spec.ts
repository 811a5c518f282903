import { sandboxFeatureRest } from './sandbox-feature-rest';

describe('sandboxFeatureRest', () => {
  it('should work', () => {
    expect(sandboxFeatureRest()).toEqual('sandbox-feature-rest');
  })
})
