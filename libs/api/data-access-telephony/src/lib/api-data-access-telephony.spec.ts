import { apiDataAccessTelephony } from './api-data-access-telephony';

describe('apiDataAccessTelephony', () => {
  it('should work', () => {
    expect(apiDataAccessTelephony()).toEqual('api-data-access-telephony');
  })
})
