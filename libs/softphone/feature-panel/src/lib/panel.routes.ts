import type { Routes } from '@angular/router';
import { SoftphonePanel } from './softphone-panel';

export const panelRoutes: Routes = [{ path: '', component: SoftphonePanel, title: 'Phone · Switchboard' }];
