import { sandboxMedia } from './sandbox-media';

describe('sandboxMedia', () => {
  it('should work', () => {
    expect(sandboxMedia()).toEqual('sandbox-media');
  })
})
