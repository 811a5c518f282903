import { computed, inject } from '@angular/core';
import { patchState, signalStore, withComputed, withMethods, withState } from '@ngrx/signals';
import type { ApiErrorBody, ClientConfig } from '@switchboard/shared-contracts';
import { firstValueFrom } from 'rxjs';
import { toApiErrorBody } from '../http/api-error';
import { ClientConfigApi } from '../http/switchboard-api';

export interface ClientConfigState {
  readonly config: ClientConfig | null;
  readonly error: ApiErrorBody | null;
}

/**
 * `GET /api/client-config`, read once at start-up (before sign-in). A failure is kept as state, never
 * thrown, so the app still starts and the sign-in page can say the server is unreachable.
 */
export const ClientConfigStore = signalStore(
  { providedIn: 'root' },
  withState<ClientConfigState>({ config: null, error: null }),
  withComputed(({ config }) => ({
    isSandbox: computed(() => config()?.mode === 'sandbox'),
  })),
  withMethods((store, api = inject(ClientConfigApi)) => ({
    async load(): Promise<ClientConfig | null> {
      try {
        const config = await firstValueFrom(api.load());
        patchState(store, { config, error: null });
        return config;
      } catch (error) {
        patchState(store, { error: toApiErrorBody(error) });
        return null;
      }
    },
  })),
);
