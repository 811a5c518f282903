import { apiDataAccessDb } from './api-data-access-db';

describe('apiDataAccessDb', () => {
  it('should work', () => {
    expect(apiDataAccessDb()).toEqual('api-data-access-db');
  })
})
