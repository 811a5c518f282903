import {
  ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, ValidationError, ValidationPipe,
} from '@nestjs/common';
import type { ApiErrorBody } from '@switchboard/shared-contracts';
import type { FastifyReply } from 'fastify';

/** A 4xx whose JSON body names the offending input field. */
export class FieldException extends HttpException {
  constructor(status: HttpStatus, message: string, readonly field?: string) {
    super(message, status);
  }
}

export const badField = (field: string, message: string) => new FieldException(HttpStatus.BAD_REQUEST, message, field);

/** ValidationPipe that reports the first failing field by name (ApiErrorBody.field). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const first = firstLeaf(errors[0]);
      const message = first ? Object.values(first.error.constraints ?? {})[0] ?? 'is invalid' : 'Invalid body';
      return first ? badField(first.path, `${first.path}: ${message}`) : new BadRequestException('Invalid body');
    },
  });
}

function firstLeaf(error: ValidationError | undefined, prefix = ''): { path: string; error: ValidationError } | undefined {
  if (!error) return undefined;
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints && Object.keys(error.constraints).length > 0) return { path, error };
  return firstLeaf(error.children?.[0], path);
}

/** Error bodies of the agent API and of Fastify's own errors, all in the ApiErrorBody shape; never a stack. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? String((response as { message: unknown[] }).message[0])
          : String((response as { message?: unknown }).message ?? exception.message);
      const field = exception instanceof FieldException ? exception.field : undefined;
      return { statusCode: status, error: httpErrorName(status), message, ...(field ? { field } : {}) };
    }
    // Fastify's own errors (body too large, bad JSON, unsupported media type) carry a 4xx statusCode.
    const status = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, error: httpErrorName(status), message: fastifyMessage(exception as { code?: string; message?: string }) };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' };
  }
}

function fastifyMessage(error: { code?: string; message?: string }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return 'Request body is too large (HTTP_BODY_LIMIT_BYTES)';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return 'Unsupported Content-Type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return 'Body cannot be empty when Content-Type is application/json';
    default: return error.message ?? 'Bad request';
  }
}

export function httpErrorName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 503: 'Service Unavailable',
  };
  return names[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}
