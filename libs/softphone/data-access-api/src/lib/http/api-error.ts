import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@switchboard/shared-contracts';

/** Status 0: the request never reached the API (offline, server down, CORS, aborted). */
export const NETWORK_ERROR_STATUS = 0;

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body['statusCode'] === 'number' && typeof body['message'] === 'string';
}

const FALLBACK_MESSAGES: Readonly<Record<number, string>> = {
  400: 'The request was not accepted. Check what you entered and try again.',
  401: 'You are not signed in, or your session has ended. Sign in again.',
  403: 'You are not allowed to do this.',
  404: 'Not found. It may have been removed.',
  409: 'This was changed by someone else. Reload and try again.',
  429: 'Too many attempts. Wait a minute and try again.',
};

/**
 * Turns whatever HttpClient threw into the API's own error shape, so every screen shows one kind of
 * error. The API's body wins when it has one; otherwise the status picks a plain sentence.
 */
export function toApiErrorBody(error: unknown): ApiErrorBody {
  if (error instanceof HttpErrorResponse) {
    if (isApiErrorBody(error.error)) {
      const body = error.error;
      return {
        statusCode: body.statusCode,
        error: typeof body.error === 'string' ? body.error : error.statusText,
        message: body.message,
        ...(typeof body.field === 'string' ? { field: body.field } : {}),
      };
    }
    if (error.status === NETWORK_ERROR_STATUS) {
      return {
        statusCode: NETWORK_ERROR_STATUS,
        error: 'Network Error',
        message: 'Cannot reach the Switchboard server. Check your network connection and try again.',
      };
    }
    return {
      statusCode: error.status,
      error: error.statusText || 'Error',
      message:
        FALLBACK_MESSAGES[error.status] ??
        (error.status >= 500
          ? 'The Switchboard server had a problem. Try again in a moment.'
          : `The request failed (HTTP ${error.status}).`),
    };
  }
  return {
    statusCode: NETWORK_ERROR_STATUS,
    error: 'Client Error',
    message: error instanceof Error ? error.message : 'Something went wrong in the app.',
  };
}

export const TOO_MANY_REQUESTS_STATUS = 429;

/**
 * The seconds a 429 says to wait, from its Retry-After header: delta-seconds or an HTTP date (RFC 9110
 * §10.2.3). Null when the error is not a 429 or the header is missing or unreadable.
 */
export function retryAfterSecondsOf(error: unknown, now: number = Date.now()): number | null {
  if (!(error instanceof HttpErrorResponse) || error.status !== TOO_MANY_REQUESTS_STATUS) return null;
  const header = error.headers?.get('Retry-After')?.trim();
  if (!header) return null;
  if (/^\d+$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
