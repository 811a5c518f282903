import type { Routes } from '@angular/router';
import { supervisorGuard } from '@switchboard/softphone-data-access-api';
import { FloorPage } from './floor-page';

export const floorRoutes: Routes = [{ path: '', component: FloorPage, canActivate: [supervisorGuard], title: 'Team floor · Switchboard' }];
