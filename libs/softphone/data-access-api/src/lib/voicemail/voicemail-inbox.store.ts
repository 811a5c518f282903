import { inject } from '@angular/core';
import { patchState, signalStore, withMethods, withState } from '@ngrx/signals';
import type { ApiErrorBody, Voicemail } from '@switchboard/shared-contracts';
import { firstValueFrom } from 'rxjs';
import { toApiErrorBody } from '../http/api-error';
import { VoicemailsApi } from '../http/switchboard-api';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';

export interface VoicemailInboxState {
  readonly items: readonly Voicemail[];
  readonly unheard: number;
  readonly status: LoadStatus;
  readonly error: ApiErrorBody | null;
}

/** The agent's voicemails; shared by the nav badge (unheard count) and the history screen. */
export const VoicemailInboxStore = signalStore(
  { providedIn: 'root' },
  withState<VoicemailInboxState>({ items: [], unheard: 0, status: 'idle', error: null }),
  withMethods((store, api = inject(VoicemailsApi)) => ({
    async load(): Promise<void> {
      patchState(store, { status: 'loading', error: null });
      try {
        const list = await firstValueFrom(api.list());
        patchState(store, { items: list.items, unheard: list.unheard, status: 'loaded' });
      } catch (error) {
        patchState(store, { status: 'error', error: toApiErrorBody(error) });
      }
    },

    /** Marks a message heard (idempotent); the count follows the server's answer, not a guess. */
    async markHeard(id: string): Promise<void> {
      const current = store.items().find((item) => item.id === id);
      if (!current || current.heard) return;
      try {
        const updated = await firstValueFrom(api.markHeard(id, true));
        const items = store.items().map((item) => (item.id === id ? updated : item));
        patchState(store, {
          items,
          unheard: Math.max(0, store.unheard() - (updated.heard ? 1 : 0)),
          error: null,
        });
      } catch (error) {
        patchState(store, { error: toApiErrorBody(error) });
      }
    },

    audioUrl(id: string): string {
      return api.audioUrl(id);
    },

    /** Signing out must not leave the previous agent's messages on screen. */
    clear(): void {
      patchState(store, { items: [], unheard: 0, status: 'idle', error: null });
    },
  })),
);
