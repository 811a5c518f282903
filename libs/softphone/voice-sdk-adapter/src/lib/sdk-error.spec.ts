import { GENERAL_SDK_ERROR_CODE, sdkErrorOf, toSdkError } from './sdk-error';

describe('SDK error facts', () => {
  it('a TwilioError keeps its code and message', () => {
    expect(toSdkError({ code: 31486, message: 'Busy' })).toEqual({ code: 31486, message: 'Busy' });
    expect(toSdkError({ code: 20104 })).toEqual({ code: 20104, message: '' });
  });

  it('anything else gets the fallback code and its own text', () => {
    expect(toSdkError(new Error('boom'))).toEqual({ code: GENERAL_SDK_ERROR_CODE, message: 'Error: boom' });
    expect(toSdkError('gone', 53001)).toEqual({ code: 53001, message: 'gone' });
    expect(toSdkError(undefined, 53001)).toEqual({ code: 53001, message: '' });
  });

  it('only a numeric code makes an SDK error', () => {
    expect(sdkErrorOf({ code: '31000', message: 'x' })).toBeNull();
    expect(sdkErrorOf(null)).toBeNull();
    expect(sdkErrorOf({ code: 31005, message: 'Connection error' })).toEqual({ code: 31005, message: 'Connection error' });
  });
});
