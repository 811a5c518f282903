import { inject, isDevMode } from '@angular/core';
import { createEffect } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import { EMPTY, filter, merge, tap } from 'rxjs';
import { audioDevicesFeature } from './audio-devices/audio-devices.feature';
import { callFeature } from './call/call.feature';
import { callControlFeature } from './call-control/call-control.feature';
import { connectionFeature } from './connection/connection.feature';

/** Where refused moves are reported; tests pass their own. */
export type RefusedMoveLogger = (slice: string, move: unknown) => void;

const consoleLogger: RefusedMoveLogger = (slice, move) => console.warn(`[voice state] ${slice} refused a move`, move);

/**
 * Development only: a refused move is a bug or an out-of-order SDK event. The reducers keep it
 * in `rejected`; this makes it visible instead of silent.
 */
export const logRefusedMoves = createEffect(
  (store = inject(Store), log: RefusedMoveLogger = consoleLogger, enabled: boolean = isDevMode()) => {
    if (!enabled) return EMPTY;
    return merge(
      store.select(connectionFeature.selectRejected).pipe(filter((m) => m !== null), tap((m) => log('connection', m))),
      store.select(callFeature.selectRejected).pipe(filter((m) => m !== null), tap((m) => log('call', m))),
      store.select(audioDevicesFeature.selectRejected).pipe(filter((m) => m !== null), tap((m) => log('audioDevices', m))),
      store.select(callControlFeature.selectRejected).pipe(filter((m) => m !== null), tap((m) => log('callControl', m))),
    );
  },
  { functional: true, dispatch: false },
);
