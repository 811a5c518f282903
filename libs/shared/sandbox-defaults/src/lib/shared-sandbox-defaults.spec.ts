import { sharedSandboxDefaults } from './shared-sandbox-defaults';

describe('sharedSandboxDefaults', () => {
  it('should work', () => {
    expect(sharedSandboxDefaults()).toEqual('shared-sandbox-defaults');
  })
})
