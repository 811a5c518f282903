import { type HttpInterceptorFn, HttpErrorResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { tap } from 'rxjs';
import { SessionStore } from './session.store';

const AUTH_PATHS: readonly string[] = [API_ROUTES.auth.login, API_ROUTES.auth.me, API_ROUTES.auth.logout];

/** A 401 on any other API call means the session ended; the store moves to signed-out. */
export const sessionExpiryInterceptor: HttpInterceptorFn = (request, next) => {
  const session = inject(SessionStore);
  return next(request).pipe(
    tap({
      error: (error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 401 && !AUTH_PATHS.some((p) => request.url.startsWith(p))) {
          session.sessionExpired();
        }
      },
    }),
  );
};
