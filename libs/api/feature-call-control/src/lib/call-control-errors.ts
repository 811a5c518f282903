import { ArgumentsHost, BadRequestException, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { ApiExceptionFilter, FieldException, httpErrorName } from '@switchboard/api-http-boundary';
import type { CallCapRefusalReason, CallControlErrorBody, CallControlErrorCode, NumberRefusalReason } from '@switchboard/shared-contracts';
import type { FastifyReply } from 'fastify';

/** A refusal of a call-control route, answered as CallControlErrorBody (the house body plus `code`). */
export class CallControlException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: CallControlErrorCode,
    message: string,
    readonly field?: string,
    /** number-refused / call-cap: the policy's or the cap's reason, in the existing vocabulary. */
    readonly reason?: NumberRefusalReason | CallCapRefusalReason,
  ) {
    super(message, status);
  }
}

/** Telephony (or the database) cannot act now: 503 with Retry-After, the one answer the agent should retry. */
export class CallControlUnavailable extends HttpException {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message, HttpStatus.SERVICE_UNAVAILABLE);
  }
}

export const notAParticipant = (status: HttpStatus.FORBIDDEN | HttpStatus.NOT_FOUND) =>
  new CallControlException(status, 'not-a-participant', status === HttpStatus.NOT_FOUND ? 'No such call for you' : 'You are no longer on this call');

export const callGone = (message = 'This call has ended') => new CallControlException(HttpStatus.GONE, 'call-gone', message);

/**
 * The call-control routes' error bodies: their own refusals carry the contract's `code`; a 400 from the
 * validation pipe becomes `invalid-request`; a 503 carries Retry-After. Everything else (the session
 * guard's 401, Fastify's own errors) is answered by the house filter, unchanged.
 */
@Catch()
export class CallControlExceptionFilter implements ExceptionFilter {
  private readonly house = new ApiExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof CallControlUnavailable) {
      void reply.header('Retry-After', String(exception.retryAfterSeconds));
      this.house.catch(exception, host);
      return;
    }
    const body = bodyOf(exception);
    if (!body) {
      this.house.catch(exception, host);
      return;
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

/** The house names, plus 410 and 422, which only call control answers. */
const errorName = (status: number) =>
  status === HttpStatus.GONE ? 'Gone' : status === HttpStatus.UNPROCESSABLE_ENTITY ? 'Unprocessable Entity' : httpErrorName(status);

function bodyOf(exception: unknown): CallControlErrorBody | undefined {
  if (exception instanceof CallControlException) {
    const status = exception.getStatus();
    return {
      statusCode: status, error: errorName(status), message: exception.message, code: exception.code,
      ...(exception.field ? { field: exception.field } : {}), ...(exception.reason ? { reason: exception.reason } : {}),
    };
  }
  if (exception instanceof FieldException && exception.getStatus() === HttpStatus.BAD_REQUEST) {
    return { statusCode: 400, error: httpErrorName(400), message: exception.message, code: 'invalid-request', ...(exception.field ? { field: exception.field } : {}) };
  }
  if (exception instanceof BadRequestException) {
    return { statusCode: 400, error: httpErrorName(400), message: exception.message || 'Invalid body', code: 'invalid-request' };
  }
  return undefined;
}
