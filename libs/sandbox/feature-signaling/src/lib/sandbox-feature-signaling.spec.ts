import { sandboxFeatureSignaling } from './sandbox-feature-signaling';

describe('sandboxFeatureSignaling', () => {
  it('should work', () => {
    expect(sandboxFeatureSignaling()).toEqual('sandbox-feature-signaling');
  })
})
