import type { Routes } from '@angular/router';
import { SoftphoneHistory } from './softphone-history';

export const historyRoutes: Routes = [{ path: '', component: SoftphoneHistory, title: 'History · Switchboard' }];
