import { sandboxModel } from './sandbox-model';

describe('sandboxModel', () => {
  it('should work', () => {
    expect(sandboxModel()).toEqual('sandbox-model');
  })
})
