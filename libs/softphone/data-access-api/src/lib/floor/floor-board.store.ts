import { DestroyRef, inject } from '@angular/core';
import { patchState, signalStore, withHooks, withMethods, withState } from '@ngrx/signals';
import type { AvailabilityOption, FloorSnapshot, LiveEvent } from '@switchboard/shared-contracts';
import { firstValueFrom } from 'rxjs';
import { toApiErrorBody } from '../http/api-error';
import { LiveEventsClient } from '../live-events/live-events.client';
import { applyFloorEvent, isFloorBoardEvent, type FloorBoardEvent } from './floor-board';
import { FloorApi } from './floor-api';

export type FloorBoardStatus = 'loading' | 'loaded' | 'failed';

export interface FloorBoardState {
  readonly status: FloorBoardStatus;
  /** The last good board; kept (and still live) while a refetch runs or after a refetch failed. */
  readonly board: FloorSnapshot | null;
  /** Why the last fetch failed, in the API's words; null otherwise. */
  readonly error: string | null;
  /** The away reasons a supervisor may set an agent to (GET /api/availability); empty until known. */
  readonly awayReasons: readonly AvailabilityOption[];
}

const initialState: FloorBoardState = { status: 'loading', board: null, error: null, awayReasons: [] };

/**
 * The supervisor's board, live: `GET /api/floor`, then every `agent.*` and `floor.*` event applied on top.
 * Events that arrive while a fetch is in flight are held and applied after it (those older than the
 * snapshot are already in it). Missed events cannot be replayed after `session.resync` or a stream that
 * reopened without resuming, so the board is fetched again then. Provided by the page that shows it:
 * the stream subscription lives as long as the page.
 */
export const FloorBoardStore = signalStore(
  withState<FloorBoardState>(initialState),
  withMethods((store, api = inject(FloorApi)) => {
    let held: FloorBoardEvent[] | null = null;
    let generation = 0;

    async function load(): Promise<void> {
      const mine = ++generation;
      held = [];
      patchState(store, { status: 'loading', error: null });
      try {
        const snapshot = await firstValueFrom(api.snapshot());
        if (mine !== generation) return; // a newer fetch replaced this one
        const board = (held ?? []).reduce(applyFloorEvent, snapshot);
        held = null;
        patchState(store, { status: 'loaded', board });
      } catch (error: unknown) {
        if (mine !== generation) return;
        held = null;
        patchState(store, { status: 'failed', error: toApiErrorBody(error).message });
      }
    }

    return {
      load,
      async loadAwayReasons(): Promise<void> {
        try {
          patchState(store, { awayReasons: (await firstValueFrom(api.availabilityOptions())).awayReasons });
        } catch {
          // The menu still offers Available; the away reasons come with the next visit.
        }
      },
      /** One event from the live stream. */
      receive(event: LiveEvent): void {
        if (event.type === 'session.resync') {
          void load();
          return;
        }
        if (event.type === 'session.hello') {
          // A stream that reopened without resuming lost whatever happened meanwhile.
          if (!event.data.resumed && store.status() !== 'loading' && store.board() !== null) void load();
          return;
        }
        if (!isFloorBoardEvent(event)) return;
        if (held) {
          held.push(event);
          return;
        }
        const board = store.board();
        if (board) patchState(store, { board: applyFloorEvent(board, event) });
      },
    };
  }),
  withHooks({
    onInit(store, live = inject(LiveEventsClient), destroyRef = inject(DestroyRef)) {
      const subscription = live.events$.subscribe((event) => store.receive(event));
      destroyRef.onDestroy(() => subscription.unsubscribe());
      void store.load();
      void store.loadAwayReasons();
    },
  }),
);
