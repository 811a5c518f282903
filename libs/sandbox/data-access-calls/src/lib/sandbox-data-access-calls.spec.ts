import { sandboxDataAccessCalls } from './sandbox-data-access-calls';

describe('sandboxDataAccessCalls', () => {
  it('should work', () => {
    expect(sandboxDataAccessCalls()).toEqual('sandbox-data-access-calls');
  })
})
