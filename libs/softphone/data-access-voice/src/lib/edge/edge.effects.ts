import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store, type Action } from '@ngrx/store';
import type { EdgePreference } from '@switchboard/shared-voice-model';
import { catchError, defer, distinctUntilChanged, endWith, filter, ignoreElements, map, of, switchMap, take, tap, type Observable } from 'rxjs';
import { callFeature } from '../call/call.feature';
import { DEVICE_PREFERENCES_STORAGE } from '../ports/device-preferences-storage';
import { VOICE_PORT, type VoicePort } from '../ports/voice-port';
import { SessionEvents } from '../session.actions';
import { SoftphoneSettingsActions } from '../softphone-panel.actions';
import { toVoiceError } from '../to-voice-error';
import { EdgeCommandEvents } from './edge.actions';
import { edgeFeature } from './edge.feature';

function applyEdge(voice: VoicePort, preference: EdgePreference): Observable<Action> {
  return defer(() => voice.setEdge(preference)).pipe(
    take(1),
    ignoreElements(),
    endWith(null),
    map(() => EdgeCommandEvents.applied({ preference })),
    catchError((error: unknown) => {
      const info = toVoiceError(error, 'EdgeChangeFailed');
      // The Device went busy between our check and the call (e.g. an answer on another tab's key).
      return of(info.name === 'CallInProgress' ? EdgeCommandEvents.applyDeferred() : EdgeCommandEvents.applyFailed({ preference, error: info }));
    }),
  );
}

/** At sign-in, before the Device exists, so the first registration already uses the saved edge. */
export const restoreEdgePreference = createEffect(
  (actions$ = inject(Actions), storage = inject(DEVICE_PREFERENCES_STORAGE)) => {
    return actions$.pipe(
      ofType(SessionEvents.signedIn),
      map(() => EdgeCommandEvents.preferenceRestored({ preference: storage.loadEdgePreference() })),
    );
  },
  { functional: true },
);

/** Saved as chosen, even when applying waits for a call or the sandbox overrides it. */
export const persistEdgePreference = createEffect(
  (actions$ = inject(Actions), storage = inject(DEVICE_PREFERENCES_STORAGE)) => {
    return actions$.pipe(
      ofType(SoftphoneSettingsActions.edgePreferenceSelected),
      tap(({ preference }) => storage.saveEdgePreference(preference)),
    );
  },
  { functional: true, dispatch: false },
);

/** Changing edge reconnects signaling, which the SDK refuses during a call: wait for it to end. */
export const applyEdgePreference = createEffect(
  (actions$ = inject(Actions), store = inject(Store), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(SoftphoneSettingsActions.edgePreferenceSelected, EdgeCommandEvents.preferenceRestored),
      concatLatestFrom(() => store.select(callFeature.selectHasLiveCall)),
      switchMap(([{ preference }, hasLiveCall]) => (hasLiveCall ? of(EdgeCommandEvents.applyDeferred()) : applyEdge(voice, preference))),
    );
  },
  { functional: true },
);

export const applyDeferredEdgeWhenIdle = createEffect(
  (store = inject(Store), voice = inject(VOICE_PORT)) => {
    return store.select(callFeature.selectHasLiveCall).pipe(
      distinctUntilChanged(),
      filter((hasLiveCall) => !hasLiveCall),
      concatLatestFrom(() => store.select(edgeFeature.selectEdgeState)),
      filter(([, edge]) => edge.status === 'pending-call'),
      switchMap(([, edge]) => applyEdge(voice, edge.preference)),
    );
  },
  { functional: true },
);

export const edgeEffects = { restoreEdgePreference, persistEdgePreference, applyEdgePreference, applyDeferredEdgeWhenIdle };
