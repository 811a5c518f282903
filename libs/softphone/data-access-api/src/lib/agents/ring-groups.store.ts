import { inject } from '@angular/core';
import { patchState, signalStore, withMethods, withState } from '@ngrx/signals';
import type { RingGroupEntry } from '@switchboard/shared-contracts';
import { firstValueFrom } from 'rxjs';
import { AgentsApi } from '../http/switchboard-api';

export interface RingGroupsState {
  readonly groups: readonly RingGroupEntry[];
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
}

/**
 * `GET /api/ring-groups` for the transfer dialog, beside the agent directory. Loaded on demand (the
 * call-control section asks when it appears), not at start-up: most sessions never transfer. An
 * unreachable list only means no groups to pick (agents and numbers still work); a later `load()`
 * tries again.
 */
export const RingGroupsStore = signalStore(
  { providedIn: 'root' },
  withState<RingGroupsState>({ groups: [], status: 'idle' }),
  withMethods((store, api = inject(AgentsApi)) => ({
    async load(): Promise<void> {
      if (store.status() === 'loading' || store.status() === 'loaded') return;
      patchState(store, { status: 'loading' });
      try {
        patchState(store, { groups: await firstValueFrom(api.ringGroups()), status: 'loaded' });
      } catch {
        patchState(store, { status: 'failed' });
      }
    },
  })),
);
