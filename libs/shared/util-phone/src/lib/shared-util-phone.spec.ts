import { sharedUtilPhone } from './shared-util-phone';

describe('sharedUtilPhone', () => {
  it('should work', () => {
    expect(sharedUtilPhone()).toEqual('shared-util-phone');
  })
})
