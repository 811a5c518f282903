import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { SessionStore } from '../session/session.store';

/** The supervisor's screens: anyone else is sent to the phone (the API refuses their routes with 403 anyway). */
export const supervisorGuard: CanActivateFn = async () => {
  const session = inject(SessionStore);
  if ((await session.restore()) && session.agent()?.role === 'supervisor') return true;
  return inject(Router).createUrlTree(['/']);
};
