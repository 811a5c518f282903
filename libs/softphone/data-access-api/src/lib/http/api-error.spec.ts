import { HttpErrorResponse } from '@angular/common/http';
import { toApiErrorBody } from './api-error';

describe('toApiErrorBody', () => {
  it('keeps the API body, including the offending field', () => {
    const error = new HttpErrorResponse({
      status: 400,
      statusText: 'Bad Request',
      error: { statusCode: 400, error: 'Bad Request', message: 'identity is required', field: 'identity' },
    });
    expect(toApiErrorBody(error)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'identity is required',
      field: 'identity',
    });
  });

  it('explains an unreachable server (status 0) instead of showing "Unknown Error"', () => {
    const body = toApiErrorBody(new HttpErrorResponse({ status: 0, statusText: 'Unknown Error' }));
    expect(body.statusCode).toBe(0);
    expect(body.message).toMatch(/cannot reach/i);
  });

  it('gives a plain sentence for a status without a JSON body', () => {
    const body = toApiErrorBody(new HttpErrorResponse({ status: 503, statusText: 'Service Unavailable', error: '<html>' }));
    expect(body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(body.message).toMatch(/server had a problem/i);
  });

  it('maps a thrown Error (not HTTP) without crashing', () => {
    expect(toApiErrorBody(new Error('boom'))).toMatchObject({ statusCode: 0, message: 'boom' });
    expect(toApiErrorBody('weird')).toMatchObject({ statusCode: 0 });
  });
});
