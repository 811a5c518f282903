import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { SessionStore } from './session.store';

export const SIGN_IN_PATH = '/sign-in';
export const RETURN_URL_PARAM = 'returnUrl';

/** Lets a signed-in agent through; anyone else goes to sign-in and comes back afterwards. */
export const signedInGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  if (await session.restore()) return true;
  return router.createUrlTree([SIGN_IN_PATH], { queryParams: { [RETURN_URL_PARAM]: state.url } });
};

/** The sign-in page is pointless when already signed in. */
export const signedOutGuard: CanActivateFn = async () => {
  const session = inject(SessionStore);
  const router = inject(Router);
  return (await session.restore()) ? router.createUrlTree(['/']) : true;
};

/**
 * Only same-app paths are accepted as a return address, so a crafted link cannot bounce the agent to
 * another site after sign-in.
 */
export function safeReturnUrl(candidate: string | null | undefined): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) {
    return '/';
  }
  return candidate.startsWith(SIGN_IN_PATH) ? '/' : candidate;
}
