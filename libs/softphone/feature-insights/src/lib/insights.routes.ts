import type { Routes } from '@angular/router';
import { supervisorGuard } from '@switchboard/softphone-data-access-api';

/** The supervisors' Insights view (issue 14); the page is filled in by the Insights work. */
export const insightsRoutes: Routes = [{ path: '', canActivate: [supervisorGuard], title: 'Insights · Switchboard', children: [] }];
