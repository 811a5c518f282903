import { inject } from '@angular/core';
import { patchState, signalStore, withHooks, withMethods, withState } from '@ngrx/signals';
import type { AgentDirectoryEntry } from '@switchboard/shared-contracts';
import { firstValueFrom } from 'rxjs';
import { AgentsApi } from '../http/switchboard-api';

export interface AgentDirectoryState {
  readonly agents: readonly AgentDirectoryEntry[];
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
}

/**
 * `GET /api/agents` once for every screen that names colleagues (ringing card, call view, history).
 * An unreachable directory only means bare identities, never a broken screen; a later `load()`
 * tries again.
 */
export const AgentDirectoryStore = signalStore(
  { providedIn: 'root' },
  withState<AgentDirectoryState>({ agents: [], status: 'idle' }),
  withMethods((store, api = inject(AgentsApi)) => ({
    async load(): Promise<void> {
      if (store.status() === 'loading' || store.status() === 'loaded') return;
      patchState(store, { status: 'loading' });
      try {
        patchState(store, { agents: await firstValueFrom(api.directory()), status: 'loaded' });
      } catch {
        patchState(store, { status: 'failed' });
      }
    },
  })),
  withHooks({
    onInit(store) {
      void store.load();
    },
  }),
);
