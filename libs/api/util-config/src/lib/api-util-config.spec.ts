import { apiUtilConfig } from './api-util-config';

describe('apiUtilConfig', () => {
  it('should work', () => {
    expect(apiUtilConfig()).toEqual('api-util-config');
  })
})
