import type { Routes } from '@angular/router';
import { signedOutGuard } from '@switchboard/softphone-data-access-api';
import { SignInPage } from './sign-in-page';

export const signInRoutes: Routes = [
  { path: '', component: SignInPage, canActivate: [signedOutGuard], title: 'Sign in · Switchboard' },
];
