import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import { EMPTY, distinctUntilChanged, filter, map, switchMap, take, tap } from 'rxjs';
import { callFeature } from '../call/call.feature';
import { TAB_LEADERSHIP } from '../ports/tab-leadership';
import { VOICE_PORT } from '../ports/voice-port';
import { SessionEvents } from '../session.actions';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { safely } from './registration-deadline';
import { TabLeadershipEvents } from './tab-leadership.actions';

/**
 * One phone per browser: from sign-in to sign-out this tab takes part in the election between
 * Switchboard tabs (ports/tab-leadership.ts); sign-out leaves it, so another tab can take over.
 */
export const electPhoneTab = createEffect(
  (actions$ = inject(Actions), leadership = inject(TAB_LEADERSHIP)) => {
    return actions$.pipe(
      ofType(SessionEvents.signedIn, SessionEvents.signedOut),
      switchMap((action) =>
        action.type === SessionEvents.signedOut.type
          ? EMPTY
          : leadership.role$.pipe(
              distinctUntilChanged(),
              map((role) => (role === 'leader' ? TabLeadershipEvents.gained() : TabLeadershipEvents.lost())),
            ),
      ),
    );
  },
  { functional: true },
);

/** "Use this tab": take the phone from the tab that has it. */
export const takeOverPhone = createEffect(
  (actions$ = inject(Actions), leadership = inject(TAB_LEADERSHIP)) => {
    return actions$.pipe(
      ofType(SoftphonePanelActions.useThisTabClicked),
      tap(() => leadership.takeOver()),
    );
  },
  { functional: true, dispatch: false },
);

/**
 * Another tab has the phone: let this tab's Device go so that calls ring there only, but only once
 * no call is live here (destroying the Device would hang it up).
 */
export const releaseDeviceInStandby = createEffect(
  (actions$ = inject(Actions), store = inject(Store), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(TabLeadershipEvents.lost, TabLeadershipEvents.gained, SessionEvents.signedOut),
      switchMap((action) =>
        action.type !== TabLeadershipEvents.lost.type
          ? EMPTY
          : store.select(callFeature.selectHasLiveCall).pipe(
              filter((live) => !live),
              take(1),
              tap(() => safely(() => voice.destroy())),
            ),
      ),
    );
  },
  // Nothing reads a "released" event (the phase is already standby), so this effect dispatches nothing.
  { functional: true, dispatch: false },
);

export const tabLeadershipEffects = { electPhoneTab, takeOverPhone, releaseDeviceInStandby };
