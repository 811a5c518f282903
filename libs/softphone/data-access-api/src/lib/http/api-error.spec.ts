import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { retryAfterSecondsOf, toApiErrorBody } from './api-error';

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

describe('retryAfterSecondsOf', () => {
  const tooMany = (retryAfter?: string) => new HttpErrorResponse({
    status: 429, statusText: 'Too Many Requests', headers: retryAfter === undefined ? undefined : new HttpHeaders({ 'Retry-After': retryAfter }),
  });

  it('reads delta-seconds and an HTTP date from a 429', () => {
    expect(retryAfterSecondsOf(tooMany('120'))).toBe(120);
    const now = Date.parse('2026-12-06T05:00:00Z');
    expect(retryAfterSecondsOf(tooMany('Sun, 06 Dec 2026 05:01:30 GMT'), now)).toBe(90);
    expect(retryAfterSecondsOf(tooMany('Sun, 06 Dec 2026 04:59:00 GMT'), now)).toBe(0);
  });

  it('is null without a usable header or for another status', () => {
    expect(retryAfterSecondsOf(tooMany())).toBeNull();
    expect(retryAfterSecondsOf(tooMany('soon'))).toBeNull();
    expect(retryAfterSecondsOf(new HttpErrorResponse({ status: 503, headers: new HttpHeaders({ 'Retry-After': '5' }) }))).toBeNull();
    expect(retryAfterSecondsOf(new Error('boom'))).toBeNull();
  });
});
