import { ArgumentsHost, HttpStatus, UnauthorizedException } from '@nestjs/common';
import { badField } from '@switchboard/api-http-boundary';
import { CallControlExceptionFilter, CallControlUnavailable, callGone, notAParticipant } from './call-control-errors';

describe('CallControlExceptionFilter', () => {
  const answer = (exception: unknown) => {
    const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
    const reply = {
      status(code: number) { sent.status = code; return reply; },
      header(name: string, value: string) { sent.headers[name.toLowerCase()] = value; return reply; },
      send(body: unknown) { sent.body = body; return reply; },
    };
    const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
    new CallControlExceptionFilter().catch(exception, host);
    return sent;
  };

  it("answers the contract's error body with its code", () => {
    expect(answer(notAParticipant(HttpStatus.NOT_FOUND))).toMatchObject({
      status: 404, body: { statusCode: 404, error: 'Not Found', message: 'No such call for you', code: 'not-a-participant' },
    });
    expect(answer(notAParticipant(HttpStatus.FORBIDDEN)).body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'not-a-participant' });
    expect(answer(callGone()).body).toEqual({ statusCode: 410, error: 'Gone', message: 'This call has ended', code: 'call-gone' });
  });

  it("gives the validation pipe's 400 the code invalid-request, keeping the field", () => {
    expect(answer(badField('hold', 'hold: hold must be true or false')).body)
      .toEqual({ statusCode: 400, error: 'Bad Request', message: 'hold: hold must be true or false', field: 'hold', code: 'invalid-request' });
  });

  it('answers 503 with Retry-After, and leaves the rest (401, crashes) to the house filter without a stack', () => {
    expect(answer(new CallControlUnavailable('try later', 5))).toMatchObject({ status: 503, headers: { 'retry-after': '5' }, body: { statusCode: 503, message: 'try later' } });
    expect(answer(new UnauthorizedException('Sign in first'))).toMatchObject({ status: 401, body: { statusCode: 401, message: 'Sign in first' } });
    expect(answer(new Error('boom at /secret/path'))).toMatchObject({ status: 500, body: { message: 'Internal server error' } });
  });
});
