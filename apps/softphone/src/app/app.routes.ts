import type { Route } from '@angular/router';
import { signedInGuard } from '@switchboard/softphone-data-access-api';
import { PRELOAD_ROUTE } from './preload-phone.strategy';

/** Every screen is its own lazy chunk; the shell frames the signed-in ones. The shell and the phone are preloaded (see PreloadPhoneStrategy). */
export const appRoutes: Route[] = [
  {
    path: 'sign-in',
    loadChildren: () => import('@switchboard/softphone-feature-sign-in').then((m) => m.signInRoutes),
  },
  {
    path: '',
    canActivate: [signedInGuard],
    data: { [PRELOAD_ROUTE]: true },
    loadComponent: () => import('@switchboard/softphone-feature-panel').then((m) => m.SoftphoneShell),
    children: [
      { path: '', data: { [PRELOAD_ROUTE]: true }, loadChildren: () => import('@switchboard/softphone-feature-panel').then((m) => m.panelRoutes) },
      { path: 'history', loadChildren: () => import('@switchboard/softphone-feature-history').then((m) => m.historyRoutes) },
      { path: 'settings', loadChildren: () => import('@switchboard/softphone-feature-settings').then((m) => m.settingsRoutes) },
      // The supervisor's board (its route guard sends anyone else to the phone).
      { path: 'floor', loadChildren: () => import('@switchboard/softphone-feature-floor').then((m) => m.floorRoutes) },
      // Supervisors: call quality across the team (issue 14).
      { path: 'insights', loadChildren: () => import('@switchboard/softphone-feature-insights').then((m) => m.insightsRoutes) },
    ],
  },
  { path: '**', redirectTo: '' },
];
