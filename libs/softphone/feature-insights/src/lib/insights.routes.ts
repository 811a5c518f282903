import type { Routes } from '@angular/router';
import { supervisorGuard } from '@switchboard/softphone-data-access-api';
import { InsightsPage } from './insights-page';

/** The supervisors' Insights view (issue 14): call quality across the team. */
export const insightsRoutes: Routes = [{ path: '', canActivate: [supervisorGuard], title: 'Insights · Switchboard', component: InsightsPage }];
