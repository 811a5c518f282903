import type { Routes } from '@angular/router';
import { SoftphoneSettings } from './softphone-settings';

export const settingsRoutes: Routes = [{ path: '', component: SoftphoneSettings, title: 'Settings · Switchboard' }];
